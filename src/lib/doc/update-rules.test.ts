import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, MemberId, PostId, SiteId } from '../domain/ids';
import { createPost, initSpace, setPostStatus, updatePost } from './space-doc';
import { createItem, createSite, entriesMap, recordEntry, recordTransfer } from './supplies-doc';
import { factKey } from './fact-key';
import { judgeUpdate, type Judgement } from './update-rules';

const ANA = 'member-ana-0001' as MemberId;
const POST = 'post-rules-0001' as PostId;
const fields = {
	kind: 'need' as const,
	title: 'Tarps',
	details: '',
	category: 'shelter',
	quantity: null,
	unit: '',
	urgency: 'normal' as const,
	locationText: '',
	contact: '',
	expiresAt: null
};

/** A device writing under a fixed client id, keeping each change it makes as its own update. */
function device(client: number, options: { gc?: boolean } = {}) {
	const doc = new Y.Doc(options);
	doc.clientID = client;
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') updates.push(update);
	});
	return {
		doc,
		updates,
		/** The updates made by `change`. */
		write(change: () => void): Uint8Array[] {
			const from = updates.length;
			change();
			return updates.slice(from);
		},
		receive(update: Uint8Array) {
			Y.applyUpdate(doc, update, 'remote');
		}
	};
}

function accepted(judgement: Judgement) {
	expect(judgement).toMatchObject({ verdict: 'accept' });
	return judgement.verdict === 'accept' ? judgement.changes : [];
}

/** A space with a post, a site, an item and one ledger entry, written by `ana` (client 1). */
function space() {
	const ana = device(1);
	let site = '' as SiteId;
	let item = '' as ItemId;
	let entry = '';
	ana.write(() => {
		initSpace(ana.doc, 'Shelter', 1);
		createPost(ana.doc, POST, fields, ANA, 1);
		site = createSite(
			ana.doc,
			{ name: 'Depot', kind: 'depot', locationText: '', point: null, notes: '' },
			1
		);
		item = createItem(ana.doc, { name: 'Water', unit: 'L', category: 'water' }, 1);
		entry = recordEntry(ana.doc, { kind: 'received', item, site, quantity: 100 }, ANA, 2);
	});
	return { ana, site, item, entry };
}

/** A second device holding everything `from` has, writing under client `client`. */
function copyOf(from: Y.Doc, client: number) {
	const other = device(client);
	other.receive(Y.encodeStateAsUpdate(from));
	return other;
}

describe('judging one device’s update', () => {
	it('accepts what the app writes, naming each record it touches', () => {
		const { ana, site, item, entry } = space();
		expect(entry).toMatch(/^f-[0-9a-z]{11}-[0-9a-z]+$/);
		const fresh = new Y.Doc();
		for (const update of ana.updates) {
			accepted(judgeUpdate(fresh, update, 1));
			Y.applyUpdate(fresh, update);
		}
		const [transfer] = ana.write(() =>
			recordTransfer(ana.doc, { item, from: site, to: site, quantity: 5 }, ANA, 3)
		);
		const changes = accepted(judgeUpdate(fresh, transfer!, 1));
		expect(changes.map((c) => [c.root, c.change])).toEqual([
			['entries', 'set'],
			['entries', 'set']
		]);
		Y.applyUpdate(fresh, transfer!);
		const [edit] = ana.write(() => updatePost(ana.doc, POST, { title: 'Tarps, 4' }, 4));
		expect(accepted(judgeUpdate(fresh, edit!, 1))).toEqual([
			{ root: 'posts', key: POST, change: 'edit' }
		]);
		Y.applyUpdate(fresh, edit!);
		const [remove] = ana.write(() => ana.doc.getMap('posts').delete(POST));
		expect(accepted(judgeUpdate(fresh, remove!, 1))).toEqual([
			{ root: 'posts', key: POST, change: 'delete' }
		]);
	});

	it('refuses an update written under another device’s client id', () => {
		const { ana } = space();
		expect(judgeUpdate(new Y.Doc(), ana.updates[0]!, 2)).toEqual({
			verdict: 'refuse',
			reason: 'other-writer'
		});
	});

	it('refuses changing a ledger entry, in every way one can be changed', () => {
		const { ana, entry } = space();
		const peer = copyOf(ana.doc, 9);
		const tries: [string, (doc: Y.Doc) => void][] = [
			['overwritten', (doc) => entriesMap(doc).set(entry, { kind: 'received', quantity: 10 })],
			[
				'written under a key that is not its own item’s',
				(doc) => entriesMap(doc).set('entry-random-0001', { kind: 'received', quantity: 1 })
			],
			[
				'written as a nested map that could be edited later',
				(doc) => {
					const key = factKey(Y.createID(2, Y.getState(doc.store, 2)));
					entriesMap(doc).set(key, new Y.Map());
				}
			]
		];
		for (const [label, change] of tries) {
			// A refused update stops its writer's log there, so each try is a new device.
			const ben = copyOf(ana.doc, 2);
			const [update] = ben.write(() => change(ben.doc));
			expect([label, judgeUpdate(peer.doc, update!, 2)]).toEqual([
				label,
				{ verdict: 'refuse', reason: 'fact-changed' }
			]);
		}
	});

	it('refuses deleting a ledger entry', () => {
		const { ana, entry } = space();
		const peer = copyOf(ana.doc, 9);
		const ben = copyOf(ana.doc, 2);
		const [update] = ben.write(() => entriesMap(ben.doc).delete(entry));
		expect(judgeUpdate(peer.doc, update!, 2)).toEqual({
			verdict: 'refuse',
			reason: 'fact-deleted'
		});
	});

	it('holds an update until what it refers to has arrived', () => {
		const { ana } = space();
		const ben = copyOf(ana.doc, 2);
		const [edit] = ben.write(() => setPostStatus(ben.doc, POST, 'done', 5));
		const late = new Y.Doc();
		const held = judgeUpdate(late, edit!, 2);
		expect(held).toMatchObject({ verdict: 'hold', waitingFor: { client: 1 } });
		for (const update of ana.updates) Y.applyUpdate(late, update);
		accepted(judgeUpdate(late, edit!, 2));

		// A device's own later change waits for its earlier one (a gap in its log).
		const [first, second] = [
			...ben.write(() => updatePost(ben.doc, POST, { title: 'a' }, 6)),
			...ben.write(() => updatePost(ben.doc, POST, { title: 'b' }, 7))
		];
		expect(judgeUpdate(late, second!, 2)).toMatchObject({ verdict: 'hold' });
		Y.applyUpdate(late, edit!);
		Y.applyUpdate(late, first!);
		accepted(judgeUpdate(late, second!, 2));
	});

	it('refuses bytes that are not an update, and a changed ledger entry in legacy content too', () => {
		expect(judgeUpdate(new Y.Doc(), new Uint8Array([255, 1, 2]), 1)).toEqual({
			verdict: 'refuse',
			reason: 'unreadable'
		});
		// Before signed logs a device could overwrite or delete an entry. Imported,
		// such a change is refused like any other: otherwise anyone could make one
		// now and import it as "old" (docs/sync-protocol.md, "As built: slice 6").
		const { ana, entry } = space();
		accepted(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(ana.doc), 'legacy'));
		const ben = copyOf(ana.doc, 2);
		ben.write(() => entriesMap(ben.doc).set(entry, { kind: 'received', quantity: 1 }));
		expect(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(ben.doc), 'legacy')).toEqual({
			verdict: 'refuse',
			reason: 'fact-changed'
		});
		const cleo = copyOf(ana.doc, 3);
		const [gone] = cleo.write(() => entriesMap(cleo.doc).delete(entry));
		expect(judgeUpdate(ana.doc, gone!, 'legacy')).toEqual({
			verdict: 'refuse',
			reason: 'fact-deleted'
		});
	});

	it('walks nesting thousands deep without running out of stack', () => {
		const { ana } = space();
		const ben = copyOf(ana.doc, 2);
		const peer = copyOf(ana.doc, 9);
		let deepest: Y.Map<unknown> | undefined;
		const [nest] = ben.write(() =>
			ben.doc.transact(() => {
				let map = ben.doc.getMap('posts').get(POST) as Y.Map<unknown>;
				for (let i = 0; i < 5000; i++) {
					const inner = new Y.Map<unknown>();
					map.set('x', inner);
					map = inner;
				}
				deepest = map;
			})
		);
		accepted(judgeUpdate(peer.doc, nest!, 2));
		peer.receive(nest!);
		const [edit] = ben.write(() => deepest!.set('y', 1));
		expect(accepted(judgeUpdate(peer.doc, edit!, 2))).toEqual([
			{ root: 'posts', key: POST, change: 'edit' }
		]);
	});
	it('judges a field overwritten many thousand times whatever the stack size', () => {
		// Yjs writes higher client ids first: Ben's overwrite sits beside the last of Ana's
		// 15,000, which are read after it, one neighbour at a time (once a recursion).
		// Without garbage collection (as history needs), each overwritten value stays an item;
		// two fields by turns, so Yjs cannot merge one field's old values into one struct.
		const ana = device(1, { gc: false });
		ana.write(() => initSpace(ana.doc, 'Shelter', 1));
		for (let i = 0; i < 15_000; i++) {
			ana.doc.getMap('meta').set('name', `name ${i}`);
			ana.doc.getMap('meta').set('description', `description ${i}`);
		}
		const ben = copyOf(ana.doc, 2);
		ben.doc.getMap('meta').set('name', 'Ben’s');
		const changes = accepted(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(ben.doc), 'legacy'));
		expect(changes.map((change) => change.key)).toContain('name');
	}, 30_000);
});

describe('the same judgement whatever the order', () => {
	it('two peers receiving honest and hostile updates in any order end the same', () => {
		// Three writers on one space: honest edits, a ledger entry rewritten, one deleted,
		// and an update under a stolen client id. Peers hold what they cannot judge yet.
		const { ana, entry } = space();
		const ben = copyOf(ana.doc, 2);
		const cleo = copyOf(ana.doc, 3);
		type Sent = { update: Uint8Array; writer: number; label: string };
		const sent: Sent[] = [];
		const keep = (writer: number, label: string, updates: Uint8Array[]) =>
			updates.forEach((update) => sent.push({ update, writer, label }));
		keep(
			2,
			'ben titles',
			ben.write(() => updatePost(ben.doc, POST, { title: 'Ben' }, 5))
		);
		keep(
			3,
			'cleo titles',
			cleo.write(() => updatePost(cleo.doc, POST, { title: 'Cleo' }, 5))
		);
		keep(
			2,
			'ben closes',
			ben.write(() => setPostStatus(ben.doc, POST, 'done', 6))
		);
		keep(
			3,
			'cleo rewrites an entry',
			cleo.write(() => entriesMap(cleo.doc).set(entry, { kind: 'received', quantity: 1 }))
		);
		keep(
			2,
			'ben deletes an entry',
			ben.write(() => entriesMap(ben.doc).delete(entry))
		);
		// Cleo's own update, passed off as Ben's.
		keep(
			2,
			'cleo as ben',
			cleo.write(() => updatePost(cleo.doc, POST, { details: 'x' }, 7))
		);

		const run = (order: number[]) => {
			const peer = copyOf(ana.doc, 9);
			const refused = new Set<string>();
			let waiting = order.map((i) => sent[i]!);
			for (let progress = true; progress;) {
				progress = false;
				const still: Sent[] = [];
				for (const item of waiting) {
					const judgement = judgeUpdate(peer.doc, item.update, item.writer);
					if (judgement.verdict === 'hold') still.push(item);
					else {
						progress = true;
						if (judgement.verdict === 'refuse') refused.add(`${item.label}: ${judgement.reason}`);
						else peer.receive(item.update);
					}
				}
				waiting = still;
			}
			return { state: Y.encodeStateAsUpdate(peer.doc), refused: [...refused].sort(), waiting };
		};
		const indexes = sent.map((_, i) => i);
		const reference = run(indexes);
		expect(reference.refused).toEqual([
			'ben deletes an entry: fact-deleted',
			'cleo as ben: other-writer',
			'cleo rewrites an entry: fact-changed'
		]);
		fc.assert(
			fc.property(fc.shuffledSubarray(indexes, { minLength: indexes.length }), (order) => {
				const outcome = run(order);
				expect(outcome.refused).toEqual(reference.refused);
				expect(outcome.waiting).toEqual([]);
				const a = new Y.Doc();
				const b = new Y.Doc();
				Y.applyUpdate(a, outcome.state);
				Y.applyUpdate(b, reference.state);
				expect(a.getMap('posts').toJSON()).toEqual(b.getMap('posts').toJSON());
				expect(a.getMap('entries').toJSON()).toEqual(b.getMap('entries').toJSON());
			}),
			{ numRuns: 60, seed: 20261201 }
		);
	});
});

describe('legacy content (from before signed logs) cannot reach into signed content', () => {
	/** A derived id, as signed logs write under: past the range of Yjs's random ids. */
	const SIGNED = 2 ** 40 + 7;
	const SIGNED_POST = 'post-signed-0001' as PostId;

	/** A space from before v2 (client 1), then a signed device's post and ledger entry on top. */
	function migrated() {
		const { ana, site, item } = space();
		const signer = copyOf(ana.doc, SIGNED);
		let fact = '';
		signer.write(() => {
			createPost(signer.doc, SIGNED_POST, fields, ANA, 5);
			fact = recordEntry(signer.doc, { kind: 'received', item, site, quantity: 7 }, ANA, 6);
		});
		return { ana, signer, fact };
	}
	const forged = { verdict: 'refuse', reason: 'legacy-forged' };

	it('accepts the old doc whole, and edits to it as legacy content', () => {
		const { ana, signer } = migrated();
		accepted(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(ana.doc), 'legacy'));
		const old = copyOf(ana.doc, 77);
		const [edit] = old.write(() => updatePost(old.doc, POST, { title: 'Tarps, 3' }, 4));
		accepted(judgeUpdate(signer.doc, edit!, 'legacy'));
	});

	it('refuses "old" content written under a signed log’s id', () => {
		const { signer } = migrated();
		const mallory = copyOf(signer.doc, 77);
		// Set after the copy: Yjs gives a doc a new id when an update brings in its own.
		mallory.doc.clientID = SIGNED;
		const [post] = mallory.write(() =>
			createPost(mallory.doc, 'post-forged' as PostId, fields, ANA, 9)
		);
		expect(judgeUpdate(signer.doc, post!, 'legacy')).toEqual(forged);
	});

	it('refuses legacy content written into a signed record', () => {
		const { signer } = migrated();
		const mallory = copyOf(signer.doc, 77);
		const [edit] = mallory.write(() =>
			updatePost(mallory.doc, SIGNED_POST, { title: 'Forged' }, 9)
		);
		expect(judgeUpdate(signer.doc, edit!, 'legacy')).toEqual(forged);
	});

	it('refuses a legacy delete of a signed ledger entry or post', () => {
		const { signer, fact } = migrated();
		for (const root of ['entries', 'posts']) {
			const mallory = copyOf(signer.doc, 77);
			const key = root === 'entries' ? fact : SIGNED_POST;
			const [gone] = mallory.write(() => mallory.doc.getMap(root).delete(key));
			expect(judgeUpdate(signer.doc, gone!, 'legacy')).toEqual(forged);
		}
	});

	it('refuses a legacy ledger entry under a key only signed entries have', () => {
		const { ana, signer, fact } = migrated();
		// Written without the signed entry, so it takes the key as a first write.
		const mallory = copyOf(ana.doc, 77);
		const [twin] = mallory.write(() =>
			entriesMap(mallory.doc).set(fact, { kind: 'received', quantity: 999_999 })
		);
		expect(judgeUpdate(signer.doc, twin!, 'legacy')).toEqual(forged);
		expect(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(mallory.doc), 'legacy')).toEqual(forged);
	});
});
