// Runs the hostile-content corpus (doc-content.cases.ts): each record comes
// in as a peer's update to a space that already holds good records, then
// every reader of the doc layer runs over it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import { shownKey } from '../../src/lib/doc/records';
import { readAllAssets, readBaseMaps, readLinks } from '../../src/lib/doc/assets-doc';
import {
	createPost,
	initSpace,
	readAllPosts,
	readMembership,
	readMeta,
	upsertMember
} from '../../src/lib/doc/space-doc';
import { readEntries, readItems, readSites } from '../../src/lib/doc/supplies-doc';
import { docContentCases } from './doc-content.cases';

const GOOD_POST = 'post-corpus-good-01' as PostId;
const GOOD_MEMBER = 'member-corpus-good' as MemberId;

function goodSpace(): Y.Doc {
	const doc = new Y.Doc();
	initSpace(doc, 'Eastside', 1, 'Flood response');
	upsertMember(doc, GOOD_MEMBER, { name: 'Ana', color: '#aa3300', joinedAt: 1 });
	createPost(
		doc,
		GOOD_POST,
		{
			kind: 'offer',
			title: 'Blankets',
			details: '',
			category: 'shelter',
			quantity: 20,
			unit: '',
			urgency: 'normal',
			locationText: '',
			contact: '',
			expiresAt: null
		},
		GOOD_MEMBER,
		1
	);
	return doc;
}

interface Row {
	root: string;
	id: string;
	problem: string;
}

/** Every reader of the doc layer; the rows each lists as unreadable. */
function readEverything(doc: Y.Doc) {
	const rows: Row[] = [];
	const add = (root: string, reads: Iterable<{ ok: boolean; id?: string; problem?: string }>) => {
		for (const read of reads)
			if (!read.ok) rows.push({ root, id: read.id ?? '', problem: read.problem ?? '' });
	};
	const posts = readAllPosts(doc);
	add('posts', posts.values());
	const members = readMembership(doc);
	for (const id of members.unreadable) rows.push({ root: 'members', id, problem: '' });
	add('sites', readSites(doc));
	add('items', readItems(doc));
	add('entries', readEntries(doc));
	add('assets', readAllAssets(doc).values());
	add('assetLinks', readLinks(doc));
	add('baseMaps', readBaseMaps(doc));
	const meta = readMeta(doc);
	for (const field of meta?.unreadable ?? [])
		rows.push({ root: 'meta', id: field, problem: field });
	return { rows, posts, members, meta };
}

describe('hostile doc content', () => {
	it.each(docContentCases)('%s', (_label, root, key, write, expected) => {
		const doc = goodSpace();
		// The peer has seen the space, so what it writes is the latest word on a field.
		const peer = new Y.Doc();
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		peer.transact(() => write(peer));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'hostile-peer');
		const stored = Buffer.from(Y.encodeStateAsUpdate(doc));

		const { rows, posts, members, meta } = readEverything(doc);

		const row = rows.find((each) => each.root === root && each.id === shownKey(key));
		if (expected === 'readable') {
			expect(row).toBeUndefined();
			if (root === 'posts') expect(posts.get(key)?.ok).toBe(true);
		} else {
			expect(row, `no unreadable row for ${root}/${shownKey(key)}`).toBeDefined();
			expect(row?.problem).toMatch(expected);
		}
		// The space's good records still read, nothing was written, nothing polluted.
		expect(posts.get(GOOD_POST)?.ok).toBe(true);
		expect(members.members.get(GOOD_MEMBER)?.name).toBe('Ana');
		if (root !== 'meta') expect(meta).toMatchObject({ name: 'Eastside', unreadable: [] });
		// Compared as bytes: a deep equal of a 20 MB array would take minutes.
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(stored)).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		for (const read of posts.values())
			if (read.ok) expect(Object.getPrototypeOf(read.post)).toBe(Object.prototype);
	});
});
