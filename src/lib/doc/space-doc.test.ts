import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../domain/ids';
import type { PostFields } from '../domain/post';
import {
	claimPost,
	createPost,
	initSpace,
	postsMap,
	readAllPosts,
	readMeta,
	readPost,
	setPostStatus,
	unclaimPost,
	updatePost,
	upsertMember,
	readMembers,
	readMembership,
	metaMap,
	membersMap
} from './space-doc';
import { touchedKeys } from './records';
import { deepNestingUpdate, hugeText, junkKeysUpdate, receive } from './hostile.test-helper';

const ANA = 'member-ana-0001' as MemberId;
const BEN = 'member-ben-0002' as MemberId;
const CAT = 'member-cat-0003' as MemberId;

const fields = (title: string, extra: Partial<PostFields> = {}): PostFields => ({
	kind: 'need',
	title,
	details: '',
	category: 'water',
	quantity: 10,
	unit: 'L',
	urgency: 'high',
	locationText: '',
	contact: '',
	expiresAt: null,
	...extra
});

/** Deterministic PRNG so a failing seed can be replayed. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Peers that each queue what they produce for every other peer; delivery order is shuffled. */
function network(count: number, random: () => number) {
	const docs = Array.from({ length: count }, () => new Y.Doc());
	const inboxes = docs.map(() => [] as Uint8Array[]);
	docs.forEach((doc, from) => {
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === 'remote') return;
			inboxes.forEach((inbox, to) => {
				if (to !== from) inbox.push(update);
			});
		});
	});
	return {
		docs,
		/** Deliver a random subset of the queued messages, in random order. */
		deliverSome() {
			inboxes.forEach((inbox, to) => {
				const keep: Uint8Array[] = [];
				const deliver: Uint8Array[] = [];
				for (const update of inbox) (random() < 0.5 ? deliver : keep).push(update);
				deliver.sort(() => random() - 0.5);
				for (const update of deliver) Y.applyUpdate(docs[to]!, update, 'remote');
				inboxes[to] = keep;
			});
		},
		deliverAll() {
			inboxes.forEach((inbox, to) => {
				inbox.sort(() => random() - 0.5);
				for (const update of inbox) Y.applyUpdate(docs[to]!, update, 'remote');
				inboxes[to] = [];
			});
		}
	};
}

describe('space doc', () => {
	it('writes and reads the space meta once', () => {
		const doc = new Y.Doc();
		initSpace(doc, 'Eastside flood response', 5);
		initSpace(doc, 'Other name', 6);
		expect(readMeta(doc)).toEqual({
			name: 'Eastside flood response',
			description: '',
			schemaVersion: 1,
			createdAt: 5,
			unreadable: []
		});
	});

	it('creates, edits, changes status and claims posts', () => {
		const doc = new Y.Doc();
		const id = 'post-00000001' as PostId;
		createPost(doc, id, fields('Water'), ANA, 100);
		updatePost(doc, id, { title: 'Bottled water', quantity: 20 }, 200);
		setPostStatus(doc, id, 'in-progress', 300);
		claimPost(doc, id, BEN, { at: 250, note: 'I have a truck' });
		const read = readPost(doc, id);
		expect(read?.ok).toBe(true);
		if (!read?.ok) return;
		expect(read.post).toMatchObject({
			id,
			title: 'Bottled water',
			quantity: 20,
			status: 'in-progress',
			createdBy: ANA,
			createdAt: 100,
			updatedAt: 300,
			claims: { [BEN]: { at: 250, note: 'I have a truck' } }
		});
		unclaimPost(doc, id, BEN);
		const after = readPost(doc, id);
		expect(after?.ok && after.post.claims).toEqual({});
	});

	it('does not touch updatedAt when an edit changes nothing', () => {
		const doc = new Y.Doc();
		const id = 'post-00000002' as PostId;
		createPost(doc, id, fields('Water'), ANA, 100);
		updatePost(doc, id, { title: 'Water' }, 999);
		const read = readPost(doc, id);
		expect(read?.ok && read.post.updatedAt).toBe(100);
	});

	it('shows a record a hostile peer wrote as unreadable, without breaking the others', () => {
		const doc = new Y.Doc();
		createPost(doc, 'post-00000003' as PostId, fields('Fine'), ANA, 1);
		postsMap(doc).set('post-bad-00001', 'not a post');
		const bad = new Y.Map<unknown>();
		postsMap(doc).set('post-bad-00002', bad);
		bad.set('title', { nested: true });
		const records = readAllPosts(doc);
		expect(records.size).toBe(3);
		expect([...records.values()].filter((r) => r.ok)).toHaveLength(1);
		expect(records.get('post-bad-00001')?.ok).toBe(false);
		expect(records.get('post-bad-00002')?.ok).toBe(false);
	});

	it('keeps a member entry stable when nothing changed', () => {
		const doc = new Y.Doc();
		upsertMember(doc, ANA, { name: 'Ana', color: '#0b57d0', joinedAt: 1 });
		const before = Y.encodeStateAsUpdate(doc).byteLength;
		upsertMember(doc, ANA, { name: 'Ana', color: '#0b57d0', joinedAt: 2 });
		expect(Y.encodeStateAsUpdate(doc).byteLength).toBe(before);
		upsertMember(doc, ANA, { name: 'Ana R.', color: '#0b57d0', joinedAt: 3 });
		expect(readMembers(doc).get(ANA)).toEqual({ name: 'Ana R.', color: '#0b57d0', joinedAt: 1 });
	});

	it('reports which posts an event batch touched', () => {
		const doc = new Y.Doc();
		const seen: (Set<string> | 'all')[] = [];
		postsMap(doc).observeDeep((events) => seen.push(touchedKeys(events, postsMap(doc))));
		const id = 'post-00000004' as PostId;
		createPost(doc, id, fields('Water'), ANA, 1);
		claimPost(doc, id, BEN, { at: 2, note: '' });
		updatePost(doc, id, { title: 'W' }, 3);
		expect(seen).toEqual([new Set([id]), new Set([id]), new Set([id])]);
	});
});

describe('board convergence across peers', () => {
	it.each(Array.from({ length: 25 }, (_, i) => i + 1))(
		'seed %i: shuffled, partial delivery converges and keeps concurrent claims',
		(seed) => {
			const random = mulberry32(seed);
			const net = network(3, random);
			const members = [ANA, BEN, CAT];
			const ids: PostId[] = [];
			// Everyone sees one shared post first, then works concurrently.
			const shared = `post-shared-${seed}` as PostId;
			createPost(net.docs[0]!, shared, fields('Shared need'), ANA, 1);
			net.deliverAll();

			for (let step = 0; step < 60; step++) {
				const peer = Math.floor(random() * 3);
				const doc = net.docs[peer]!;
				const member = members[peer]!;
				const roll = random();
				const target =
					ids.length > 0 && roll > 0.3 ? ids[Math.floor(random() * ids.length)]! : shared;
				if (roll < 0.2) {
					const id = `post-${seed}-${step}-${peer}` as PostId;
					createPost(doc, id, fields(`Post ${step}`), member, step);
					ids.push(id);
				} else if (roll < 0.45) {
					updatePost(doc, target, { title: `Edited by ${peer} at ${step}` }, step);
				} else if (roll < 0.6) {
					setPostStatus(doc, target, random() < 0.5 ? 'in-progress' : 'done', step);
				} else if (roll < 0.85) {
					claimPost(doc, target, member, { at: step, note: `${peer}` });
				} else {
					unclaimPost(doc, target, member);
				}
				if (random() < 0.3) net.deliverSome();
			}
			// Concurrent claims on the shared post by all three, with no delivery between.
			members.forEach((member, peer) =>
				claimPost(net.docs[peer]!, shared, member, { at: 1000, note: 'at once' })
			);
			net.deliverAll();

			// toEqual ignores key order: Y.Map iterates in local insertion order.
			const boards = net.docs.map((doc) => Object.fromEntries(readAllPosts(doc)));
			expect(Object.keys(boards[0]!).length).toBeGreaterThan(1);
			expect(boards[1]).toEqual(boards[0]);
			expect(boards[2]).toEqual(boards[0]);
			const sharedRead = readPost(net.docs[0]!, shared);
			expect(sharedRead?.ok).toBe(true);
			if (sharedRead?.ok)
				expect(Object.keys(sharedRead.post.claims).sort()).toEqual([...members].sort());
		}
	);
});

describe('hostile doc content', () => {
	it('lists a post nested 5,000 maps deep as unreadable, and reads the others', () => {
		const doc = new Y.Doc();
		createPost(doc, 'post-00000010' as PostId, fields('Fine'), ANA, 1);
		receive(doc, deepNestingUpdate('posts', 'post-deep-00001'));
		const records = readAllPosts(doc);
		expect(records.get('post-00000010')?.ok).toBe(true);
		const deep = records.get('post-deep-00001');
		expect(deep?.ok).toBe(false);
		expect(!deep?.ok && deep?.problem).toMatch(/nested too deep/);
		expect(readPost(doc, 'post-deep-00001')?.ok).toBe(false);
	});

	it('lists a post whose details are 20 MB as unreadable', () => {
		const doc = new Y.Doc();
		const id = 'post-00000011' as PostId;
		createPost(doc, id, fields('Fine'), ANA, 1);
		const post = postsMap(doc).get(id) as Y.Map<unknown>;
		post.set('details', hugeText());
		const read = readPost(doc, id);
		expect(read?.ok).toBe(false);
		expect(!read?.ok && read?.problem).toMatch(/too large/);
		// Just over the schema's limit is caught by the schema.
		post.set('details', hugeText(4001));
		expect(readPost(doc, id)?.ok).toBe(false);
	});

	it('reads a board with 100,000 junk keys, and shortens a long junk key', () => {
		const doc = new Y.Doc();
		createPost(doc, 'post-00000012' as PostId, fields('Fine'), ANA, 1);
		receive(doc, junkKeysUpdate('posts'));
		postsMap(doc).set(hugeText(100_000), 'junk');
		const records = readAllPosts(doc);
		expect(records.get('post-00000012')?.ok).toBe(true);
		expect(records.get('junk 7')).toEqual({ ok: false, id: 'junk 7', problem: 'malformed id' });
		const long = records.get(hugeText(100_000));
		expect(long?.ok === false && long.id.length).toBeLessThan(100);
	});

	it('ignores a root map nobody reads', () => {
		const doc = new Y.Doc();
		createPost(doc, 'post-00000013' as PostId, fields('Fine'), ANA, 1);
		receive(doc, deepNestingUpdate('posts', 'post-deep-00003', 10));
		doc.getMap('nobody-reads-this').set('x', hugeText(1000));
		expect(readAllPosts(doc).get('post-00000013')?.ok).toBe(true);
	});

	it('reads the description field by field: a bad field costs only itself', () => {
		const doc = new Y.Doc();
		expect(readMeta(doc)).toBeNull();
		initSpace(doc, 'Eastside', 5, 'Flood response');
		metaMap(doc).set('createdAt', 'yesterday');
		expect(readMeta(doc)).toEqual({
			name: 'Eastside',
			description: 'Flood response',
			schemaVersion: 1,
			createdAt: null,
			unreadable: ['createdAt']
		});
		metaMap(doc).set('description', hugeText());
		// Overwritten here, not by a concurrent update: which of two concurrent writes wins is random.
		let nested = new Y.Map<unknown>();
		metaMap(doc).set('name', nested);
		for (let level = 0; level < 20; level++) nested = nested.set('x', new Y.Map<unknown>());
		expect(readMeta(doc)).toMatchObject({
			name: null,
			description: '',
			schemaVersion: 1,
			unreadable: ['name', 'description', 'createdAt']
		});
	});

	it('overwrites a deep Yjs type a peer put under this device’s member id', () => {
		const doc = new Y.Doc();
		receive(doc, deepNestingUpdate('members', ANA));
		expect(readMembership(doc).unreadable).toEqual([ANA]);
		upsertMember(doc, ANA, { name: 'Ana', color: '#0b57d0', joinedAt: 1 });
		expect(readMembership(doc)).toEqual({
			members: new Map([[ANA, { name: 'Ana', color: '#0b57d0', joinedAt: 1 }]]),
			unreadable: []
		});
	});

	it('lists member records that cannot be read instead of dropping them', () => {
		const doc = new Y.Doc();
		upsertMember(doc, ANA, { name: 'Ana', color: '#0b57d0', joinedAt: 1 });
		membersMap(doc).set(BEN, { name: '', color: 'red' });
		receive(doc, deepNestingUpdate('members', CAT));
		membersMap(doc).set('not an id', { name: 'Dee', color: '#0b57d0', joinedAt: 1 });
		const { members, unreadable } = readMembership(doc);
		expect([...members.keys()]).toEqual([ANA]);
		expect(unreadable).toEqual([BEN, CAT, 'not an id'].sort());
	});
});
