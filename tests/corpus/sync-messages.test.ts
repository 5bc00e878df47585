// Runs the sync-message corpus (sync-messages.cases.ts) through what a
// paired link does with each message from the other device.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
	createPost,
	initSpace,
	readAllPosts,
	readMeta,
	updatePost
} from '../../src/lib/doc/space-doc';
import { readLinkMessage } from '../../src/lib/sync/paired-link';
import { syncMessageCases, type SyncFixture } from './sync-messages.cases';

let fixture: SyncFixture;

function space(clientID: number, title: string): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	initSpace(doc, title, 1);
	createPost(
		doc,
		`post-corpus-${clientID}` as PostId,
		{
			kind: 'offer',
			title,
			details: '',
			category: 'food',
			quantity: 3,
			unit: 'boxes',
			urgency: 'normal',
			locationText: '',
			contact: '',
			expiresAt: null
		},
		'member-corpus-01' as MemberId,
		1
	);
	return doc;
}

beforeAll(() => {
	const source = space(1001, 'Rice');
	const update = Y.encodeStateAsUpdate(source);
	const seen = Y.encodeStateVector(source);
	updatePost(source, 'post-corpus-1001' as PostId, { title: 'Rice and beans' }, 2);
	fixture = { update, later: Y.encodeStateAsUpdate(source, seen) };
});

describe('bad sync messages on a paired link', () => {
	it.each(syncMessageCases)('%s', (_label, make, expected) => {
		const doc = space(2002, 'Water');
		const before = Y.encodeStateAsUpdate(doc);
		const views = { posts: readAllPosts(doc), meta: readMeta(doc) };
		const read = readLinkMessage(doc, make(fixture), 'corpus-peer');
		if (expected === 'unreadable') {
			expect(read).toEqual({ ok: false });
			expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		} else {
			expect(read.ok).toBe(true);
			expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(space(2002, 'Water')));
		}
		expect({ posts: readAllPosts(doc), meta: readMeta(doc) }).toEqual(views);
	});

	it('the unbroken update applies (so the cases above test what they say)', () => {
		const doc = space(2002, 'Water');
		const encoder = encoding.createEncoder();
		syncProtocol.writeUpdate(encoder, fixture.update);
		const read = readLinkMessage(doc, encoding.toUint8Array(encoder), 'corpus-peer');
		expect(read).toEqual({ ok: true, reply: null, bringsState: true });
		expect(readAllPosts(doc).size).toBe(2);
	});
});
