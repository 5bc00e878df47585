import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOCK_SKEW_MS } from '../../domain/time';
import type { ItemId, PostId, SiteId } from '../../domain/ids';
import { initSpace, updatePost } from '../../doc/space-doc';
import {
	createItem,
	createSite,
	entriesMap,
	readEntries,
	recordEntry
} from '../../doc/supplies-doc';
import { EntryKind, encodeEntry, type AuthorId } from './entry';
import { signHead } from './head';
import { encodeMessage } from './messages';
import {
	MEMBER,
	TestNetwork,
	craftUpdate,
	handEntries,
	postTitles,
	seeded,
	writePost,
	type TestDevice
} from './network.test-helper';

/** A space with a site, an item and one ledger entry of 100, written by `device`. */
function supplies(device: TestDevice) {
	let site = '' as SiteId;
	let item = '' as ItemId;
	device.doc.transact(() => {
		initSpace(device.doc, 'Shelter', 1);
		site = createSite(
			device.doc,
			{ name: 'Depot', kind: 'depot', locationText: '', point: null, notes: '' },
			1
		);
		item = createItem(device.doc, { name: 'Water', unit: 'L', category: 'water' }, 1);
	});
	const entry = recordEntry(device.doc, { kind: 'received', item, site, quantity: 100 }, MEMBER, 2);
	return { site, item, entry };
}

function quantities(device: TestDevice): number[] {
	return readEntries(device.doc)
		.flatMap((read) => (read.ok ? [read.value.quantity] : []))
		.sort((a, b) => a - b);
}

/** `count` posts of about 250 bytes each, written by `device`, told apart by `prefix`. */
function seedPosts(device: TestDevice, prefix: number, count: number): void {
	for (let n = 0; n < count; n++)
		writePost(device.doc, `post-${prefix}-${n}`, `${prefix}/${n}`, 'x'.repeat(200));
}

/** Two linked holders of ten posts each, in sync. */
function twoHolders() {
	const net = new TestNetwork(seeded(11));
	const holders = ['h1', 'h2'].map((name) => net.device(name));
	for (const [i, holder] of holders.entries()) seedPosts(holder, i, 10);
	net.connect(holders[0]!, holders[1]!);
	net.settle();
	return { net, holders };
}

/** The joiner has both holders' posts, and each holder served it its own author's. */
function expectSpread(net: TestNetwork, holders: TestDevice[], joiner: TestDevice): void {
	expect(postTitles(joiner)).toHaveLength(20);
	for (const holder of holders)
		expect(net.traffic({ from: holder, to: joiner }).bytes).toBeGreaterThan(2000);
}

describe('the v2 engine between honest devices', () => {
	it('brings a new post to a linked device, and one made while apart once linked', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		net.connect(ana, ben);
		writePost(ana.doc, 'post-aaa', 'Tarps');
		net.settle();
		expect(postTitles(ben)).toEqual(['Tarps']);
		net.disconnect(ana, ben);
		writePost(ben.doc, 'post-bbb', 'Water');
		updatePost(ana.doc, 'post-aaa' as PostId, { title: 'Tarps, 4' }, 2);
		net.settle();
		expect(postTitles(ana)).toEqual(['Tarps, 4']);
		net.connect(ana, ben);
		net.settle();
		expect(postTitles(ana)).toEqual(['Tarps, 4', 'Water']);
		expect(postTitles(ben)).toEqual(['Tarps, 4', 'Water']);
		expect([...ana.events, ...ben.events].filter((e) => e.type !== 'accepted')).toEqual([]);
	});

	it('tells who wrote each record it applies', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		net.connect(ana, ben);
		writePost(ana.doc, 'post-aaa');
		net.settle();
		const accepted = ben.events.filter((event) => event.type === 'accepted');
		expect(accepted).toHaveLength(1);
		expect(accepted[0]).toMatchObject({
			author: ana.key.author,
			seq: 1,
			changes: [{ root: 'posts', key: 'post-aaa', change: 'set' }]
		});
	});

	it('gives a joining device one copy: what it lacks, from one holder each, nothing echoed', () => {
		const net = new TestNetwork(seeded(7));
		const holders = ['h1', 'h2', 'h3'].map((name) => net.device(name));
		for (const [i, holder] of holders.entries()) seedPosts(holder, i, 40);
		for (const a of holders) for (const b of holders) net.connect(a, b);
		net.settle();
		const state = Y.encodeStateAsUpdate(holders[0]!.doc).length;
		const before = net.traffic();
		const joiner = net.device('new');
		for (const holder of holders) net.connect(joiner, holder);
		net.settle();
		expect(postTitles(joiner)).toEqual(postTitles(holders[0]!));
		expect(postTitles(joiner)).toHaveLength(120);
		const received = net.traffic({ to: joiner }).bytes;
		const sent = net.traffic({ from: joiner }).bytes;
		// Signed entries cost a little more than Yjs's merged state; never a copy per holder.
		expect(received / state).toBeLessThan(1.3);
		expect(sent / state).toBeLessThan(0.05);
		// Each holder served the author it was asked for: the join was spread.
		const served = holders.map((holder) => net.traffic({ from: holder, to: joiner }).bytes);
		expect(Math.min(...served)).toBeGreaterThan(state / 10);
		// Holders sent nothing to each other about the join.
		expect(net.traffic().messages - before.messages).toBe(
			net.traffic({ to: joiner }).messages + net.traffic({ from: joiner }).messages
		);
	});

	it('asks as soon as every link has said hello, without waiting out the delay', () => {
		const { net, holders } = twoHolders();
		// The joiner's delayed tasks never run: whatever it asks, it asks at once.
		const delayed: (() => void)[] = [];
		const joiner = net.device('new', { schedule: (task) => void delayed.push(task) });
		for (const holder of holders) net.connect(joiner, holder);
		net.settle();
		expectSpread(net, holders, joiner);
		expect(delayed.length).toBeGreaterThan(0);
	});

	it('still spreads a join whose second link opens just after the first said hello', () => {
		const { net, holders } = twoHolders();
		const joiner = net.device('new');
		// The transport says a second connection is still opening.
		joiner.engine.connecting(1);
		net.connect(joiner, holders[0]!);
		net.step();
		net.step();
		net.connect(joiner, holders[1]!);
		joiner.engine.connecting(0);
		net.settle();
		expectSpread(net, holders, joiner);
	});

	it('gives two devices joining at once, linked to each other too, one copy each', () => {
		const net = new TestNetwork(seeded(3));
		const holders = ['h1', 'h2'].map((name) => net.device(name));
		for (const [i, holder] of holders.entries()) seedPosts(holder, i, 30);
		net.connect(holders[0]!, holders[1]!);
		net.settle();
		const state = Y.encodeStateAsUpdate(holders[0]!.doc).length;
		const joiners = ['j1', 'j2'].map((name) => net.device(name));
		net.connect(joiners[0]!, joiners[1]!);
		for (const joiner of joiners) for (const holder of holders) net.connect(joiner, holder);
		net.settle();
		for (const joiner of joiners) {
			expect(postTitles(joiner)).toHaveLength(60);
			expect(net.traffic({ to: joiner }).bytes / state).toBeLessThan(1.3);
		}
	});

	it('lets go of held entries past its room, and asks for them again once they can apply', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		net.connect(ana, ben);
		for (let n = 0; n < 5; n++) writePost(ana.doc, `post-${String(n).padStart(4, '0')}`);
		net.settle();
		for (let n = 0; n < 5; n++)
			updatePost(ben.doc, `post-${String(n).padStart(4, '0')}` as PostId, { title: `B${n}` }, 2);
		net.settle();
		// Cy's room for held entries is smaller than Ben's edits; Ben reaches it first.
		const cy = net.device('cy', { maxWaitingBytes: 64 });
		cy.engine.addLink({ id: 'ben', send: () => {} });
		cy.engine.receive(
			'ben',
			encodeMessage({
				type: 'entries',
				author: ben.key.author,
				head: ben.heads.at(-1)!,
				entries: ben.entries
			})
		);
		expect(cy.engine.waiting()).toBe(0);
		cy.engine.removeLink('ben');
		// Linked for real, it takes Ana's posts, then Ben's edits on the next probe.
		net.connect(cy, ana);
		net.connect(cy, ben);
		net.settle();
		net.tick();
		expect(postTitles(cy)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4']);
		expect(cy.misbehaviour()).toEqual([]);
	});

	it('applies a log larger than its room for held entries: what applies is not held', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		for (let n = 0; n < 20; n++) writePost(ana.doc, `post-${String(n).padStart(4, '0')}`);
		const ben = net.device('ben', { maxWaitingBytes: 64 });
		net.connect(ana, ben);
		net.settle();
		expect(postTitles(ben)).toHaveLength(20);
	});

	it('forwards an edit once per link across a chain, so it reaches devices it is not linked to', () => {
		const net = new TestNetwork();
		const chain = ['a', 'b', 'c', 'd', 'e'].map((name) => net.device(name));
		for (let i = 1; i < chain.length; i++) net.connect(chain[i - 1]!, chain[i]!);
		net.settle();
		const before = net.traffic().messages;
		writePost(chain[0]!.doc, 'post-aaa', 'Far away');
		net.settle();
		for (const device of chain) expect(postTitles(device)).toEqual(['Far away']);
		// One message per link, in one direction: nothing comes back.
		expect(net.traffic().messages - before).toBe(chain.length - 1);
	});

	it('holds an edit that refers to a post it lacks, and applies it once the post arrives', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		const cy = net.device('cy');
		net.connect(ana, ben);
		writePost(ana.doc, 'post-aaa', 'Tarps');
		net.settle();
		updatePost(ben.doc, 'post-aaa' as PostId, { title: 'Tarps, 4' }, 2);
		net.settle();
		// Cy hears of Ben's edit before Ana's post: Ben is all it can reach.
		cy.engine.addLink({ id: 'ben', send: () => {} });
		cy.engine.receive(
			'ben',
			encodeMessage({
				type: 'entries',
				author: ben.key.author,
				head: ben.heads[0]!,
				entries: [ben.entries[0]!]
			})
		);
		expect(cy.engine.waiting()).toBe(1);
		expect(postTitles(cy)).toEqual([]);
		cy.engine.removeLink('ben');
		net.connect(cy, ana);
		net.settle();
		expect(postTitles(cy)).toEqual(['Tarps, 4']);
		expect(cy.engine.waiting()).toBe(0);
		expect([...cy.misbehaviour(), ...cy.refusals()]).toEqual([]);
	});

	it('asks again for a range that arrived before the one below it', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		const cy = net.device('cy');
		net.connect(ana, cy);
		writePost(ana.doc, 'post-aaa', 'Tarps');
		updatePost(ana.doc, 'post-aaa' as PostId, { title: 'Tarps, 4' }, 2);
		net.settle();
		net.connect(ben, cy);
		// Before the hellos cross, Ben is handed entry 2 alone.
		ben.engine.receive(
			'cy',
			encodeMessage({
				type: 'entries',
				author: ana.key.author,
				head: ana.heads[1]!,
				entries: [ana.entries[1]!]
			})
		);
		expect(postTitles(ben)).toEqual([]);
		net.settle();
		expect(postTitles(ben)).toEqual(['Tarps, 4']);
		expect(ben.misbehaviour()).toEqual([]);
	});
});

describe('the v2 engine refuses', () => {
	/** Ana and Ben linked, Ana holding a supply ledger with one entry of 100. */
	function ledger() {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const ben = net.device('ben');
		const cy = net.device('cy');
		net.connect(ana, ben);
		net.connect(ben, cy);
		const space = supplies(ana);
		net.settle();
		expect(quantities(cy)).toEqual([100]);
		return { net, ana, ben, cy, ...space };
	}

	it('a forged range: a head not signed by the author it names', () => {
		const { net, ana, ben, cy } = ledger();
		const mallory = net.device('mallory');
		// Mallory signs Ana's next entry with her own key and sends it as Ana's.
		const body = craftUpdate(ana.doc, ana.doc.clientID, (doc) => doc.getMap('posts').set('x', 1));
		const encoded = encodeEntry({
			seq: ana.entries.length + 1,
			prev: ana.hashes.at(-1)!,
			kind: EntryKind.edit,
			epoch: 1,
			time: ana.heads.length,
			body
		});
		const forged = { ...signHead(mallory.key, ana.entries.length + 1, ana.hashes[0]!) };
		net.connect(mallory, ben);
		net.settle();
		ben.engine.receive(
			'mallory',
			encodeMessage({
				type: 'entries',
				author: ana.key.author,
				head: { ...forged, author: ana.key.author },
				entries: [encoded]
			})
		);
		net.settle();
		expect(ben.doc.getMap('posts').has('x')).toBe(false);
		expect(cy.doc.getMap('posts').has('x')).toBe(false);
		expect(ben.misbehaviour()).toMatchObject([
			{ link: 'mallory', detail: /bad-signature/, refusedEntries: true }
		]);
	});

	it('an altered entry: a body changed after it was signed', () => {
		const { net, ana, ben } = ledger();
		ana.logging = false;
		const body = craftUpdate(ana.doc, ana.doc.clientID, (doc) => doc.getMap('posts').set('x', 1));
		const { encoded, head } = ana.sign(body);
		const altered = encoded.slice();
		altered[altered.length - 2] = altered[altered.length - 2]! ^ 1;
		const mallory = net.device('mallory');
		net.connect(mallory, ben);
		net.settle();
		ben.engine.receive(
			'mallory',
			encodeMessage({ type: 'entries', author: ana.key.author, head, entries: [altered] })
		);
		expect(ben.misbehaviour()).toMatchObject([
			{ link: 'mallory', detail: /broken-chain/, refusedEntries: true }
		]);
		expect(ben.engine.vector().find((tip) => tip.length === head.seq)).toBeUndefined();
	});

	it('nothing on a replay: entries it holds already change nothing and go nowhere', () => {
		const { net, ana, ben, cy } = ledger();
		const doc = Y.encodeStateAsUpdate(cy.doc);
		const before = net.traffic().messages;
		ben.engine.receive(
			'ana',
			encodeMessage({
				type: 'entries',
				author: ana.key.author,
				head: ana.heads.at(-1)!,
				entries: ana.entries
			})
		);
		net.settle();
		expect(net.traffic().messages).toBe(before);
		expect(Y.encodeStateAsUpdate(cy.doc)).toEqual(doc);
		expect([...ben.misbehaviour(), ...ben.refusals()]).toEqual([]);
	});

	it('a ledger entry overwritten, on every device, and nothing more of that author', () => {
		const { net, ana, ben, cy, entry } = ledger();
		const mallory = net.device('mallory');
		net.connect(mallory, ben);
		net.settle();
		mallory.doc.transact(() =>
			entriesMap(mallory.doc).set(entry, { kind: 'received', quantity: 10 })
		);
		writePost(mallory.doc, 'post-mmm', 'After the overwrite');
		net.settle();
		for (const device of [ana, ben, cy]) {
			expect(quantities(device)).toEqual([100]);
			expect(postTitles(device)).toEqual([]);
			expect(device.refusals()).toMatchObject([
				{ author: mallory.key.author, seq: 1, reason: 'fact-changed' }
			]);
		}
		expect(ben.engine.stops()).toMatchObject([{ author: mallory.key.author, seq: 1 }]);
	});

	it('a ledger entry deleted', () => {
		const { net, ana, cy, entry } = ledger();
		const mallory = net.device('mallory');
		net.connect(mallory, cy);
		net.settle();
		entriesMap(mallory.doc).delete(entry);
		net.settle();
		expect(quantities(ana)).toEqual([100]);
		expect(cy.refusals()).toMatchObject([{ reason: 'fact-deleted' }]);
	});

	it('an entry written under another device’s client id', () => {
		const { net, ana, ben } = ledger();
		const mallory = net.device('mallory');
		net.connect(mallory, ben);
		net.settle();
		mallory.logging = false;
		const body = craftUpdate(mallory.doc, ana.doc.clientID, (doc) =>
			doc.getMap('posts').set('x', 1)
		);
		mallory.append(body);
		net.settle();
		expect(ana.doc.getMap('posts').has('x')).toBe(false);
		expect(ana.refusals()).toMatchObject([{ author: mallory.key.author, reason: 'other-writer' }]);
	});

	it('a fork: two entries signed for one seq, caught where both meet, with the proof kept', () => {
		const net = new TestNetwork();
		const ben = net.device('ben');
		const cy = net.device('cy');
		const mallory = net.device('mallory');
		mallory.logging = false;
		const one = craftUpdate(mallory.doc, mallory.doc.clientID, (doc) =>
			doc.getMap('posts').set('a', 1)
		);
		const other = craftUpdate(mallory.doc, mallory.doc.clientID, (doc) =>
			doc.getMap('posts').set('b', 2)
		);
		// The same seq signed over two bodies: the chain forks.
		const [first, second] = mallory.signFork(one, other);
		// Dan hears only through Cy, and Eve only through Dan.
		const dan = net.device('dan');
		const eve = net.device('eve');
		net.connect(ben, cy);
		net.connect(cy, dan);
		net.connect(dan, eve);
		net.settle();
		// Mallory tells Ben one history and Cy the other, over links of her own.
		handEntries(ben, 'mallory', mallory.key.author, [first]);
		handEntries(cy, 'mallory', mallory.key.author, [second]);
		net.settle();
		// The proof travels: every device stops Mallory, not only the two that hold both.
		for (const device of [ben, cy, dan, eve]) {
			const forks = device.engine.forks();
			expect(forks).toHaveLength(1);
			expect(forks[0]!.seq).toBe(1);
			expect(forks[0]!.evidence.ours.head.hash).not.toEqual(forks[0]!.evidence.theirs.head.hash);
			expect(device.engine.stops()).toMatchObject([{ author: mallory.key.author, reason: 'fork' }]);
			expect(device.misbehaviour()).toEqual([]);
		}
		// Nothing more of Mallory's is taken anywhere, from any link.
		const later = mallory.sign(
			craftUpdate(mallory.doc, mallory.doc.clientID, (doc) => doc.getMap('posts').set('later', 3))
		);
		handEntries(eve, 'mallory', mallory.key.author, [second, later]);
		net.settle();
		for (const device of [ben, cy, dan, eve])
			expect(device.doc.getMap('posts').has('later')).toBe(false);
	});

	it('a fork proof reaches devices that link later, also after a restart of the device that holds it', () => {
		const net = new TestNetwork();
		const cy = net.device('cy');
		const eve = net.device('eve');
		const mallory = net.device('mallory');
		mallory.logging = false;
		const [first, second] = mallory.signFork(
			craftUpdate(mallory.doc, mallory.doc.clientID, (doc) => doc.getMap('posts').set('a', 1)),
			craftUpdate(mallory.doc, mallory.doc.clientID, (doc) => doc.getMap('posts').set('b', 2))
		);
		net.connect(cy, eve);
		handEntries(cy, 'mallory', mallory.key.author, [first]);
		handEntries(eve, 'mallory', mallory.key.author, [second]);
		net.settle();
		expect(cy.engine.forks()).toHaveLength(1);
		// Ben links to Cy only once the fork is known: he is told, and takes neither history.
		const ben = net.device('ben');
		net.connect(ben, cy);
		net.settle();
		expect(ben.engine.stops()).toMatchObject([{ author: mallory.key.author, reason: 'fork' }]);
		expect(ben.doc.getMap('posts').has('a')).toBe(false);
		// After a restart Ben still knows, and tells Dan, who had only Mallory's word.
		net.disconnect(ben, cy);
		net.restart(ben);
		const dan = net.device('dan');
		handEntries(dan, 'mallory', mallory.key.author, [second]);
		net.connect(ben, dan);
		net.settle();
		expect(dan.engine.stops()).toMatchObject([{ author: mallory.key.author, reason: 'fork' }]);
		expect(dan.misbehaviour()).toEqual([]);
		const later = mallory.sign(
			craftUpdate(mallory.doc, mallory.doc.clientID, (doc) => doc.getMap('posts').set('later', 3))
		);
		handEntries(dan, 'mallory-again', mallory.key.author, [second, later]);
		net.settle();
		expect(dan.doc.getMap('posts').has('later')).toBe(false);
	});

	it('a fork proof that proves nothing: the link misbehaved, the author goes on', () => {
		const { net, ana, ben } = ledger();
		ben.engine.addLink({ id: 'mallory', send: () => {} });
		const range = { head: ana.heads[1]!, entries: ana.entries.slice(0, 2) };
		ben.engine.receive(
			'mallory',
			encodeMessage({ type: 'fork', author: ana.key.author, ranges: [range, range] })
		);
		expect(ben.engine.stops()).toEqual([]);
		expect(ben.misbehaviour()).toMatchObject([{ link: 'mallory', detail: /without proof/ }]);
		writePost(ana.doc, 'post-still', 'Still syncing');
		net.settle();
		expect(postTitles(ben)).toContain('Still syncing');
	});

	it('holds an entry dated beyond the allowed clock skew until the clock gets there', () => {
		const { net, ana, ben } = ledger();
		ana.logging = false;
		const body = craftUpdate(ana.doc, ana.doc.clientID, (doc) =>
			doc.getMap('posts').set('late', 1)
		);
		ana.append(body, { time: net.now + CLOCK_SKEW_MS + 60_000 });
		net.settle();
		expect(ben.doc.getMap('posts').has('late')).toBe(false);
		expect(ben.engine.waiting()).toBe(1);
		net.tick(120_000);
		expect(ben.doc.getMap('posts').has('late')).toBe(true);
	});

	it('to send the same range over and over: an ask repeated before a stall is ignored', () => {
		const { net, ana, ben } = ledger();
		let answers = 0;
		ben.engine.addLink({ id: 'mallory', send: () => void answers++ });
		const want = encodeMessage({
			type: 'want',
			author: ana.key.author,
			from: 1,
			to: ana.entries.length
		});
		for (let i = 0; i < 50; i++) ben.engine.receive('mallory', want);
		// The hello on linking, then one answer.
		expect(answers).toBe(2);
		// After a stall's time an honest peer may ask again, and is answered.
		net.now += 11_000;
		ben.engine.receive('mallory', want);
		expect(answers).toBe(3);
	});

	it('junk and hostile messages from a link without throwing', () => {
		const { net, ben, cy } = ledger();
		const doc = Y.encodeStateAsUpdate(ben.doc);
		const junk = [
			new Uint8Array(),
			new Uint8Array([99]),
			new Uint8Array([3, ...new Uint8Array(40)]),
			encodeMessage({ type: 'want', author: new Uint8Array(32) as AuthorId, from: 5, to: 9 }),
			new Uint8Array([1, 2, 0, 255, 255, 255, 255, 15])
		];
		for (const bytes of junk) expect(() => ben.engine.receive('cy', bytes)).not.toThrow();
		net.settle();
		expect(Y.encodeStateAsUpdate(ben.doc)).toEqual(doc);
		expect(ben.misbehaviour().length).toBeGreaterThanOrEqual(3);
		expect(cy.misbehaviour()).toEqual([]);
	});
});
