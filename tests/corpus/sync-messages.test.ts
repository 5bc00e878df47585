// Runs the sync-message corpus (sync-messages.cases.ts) through what a
// paired link does with each message from the other device.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { readAllPosts, readMeta } from '../../src/lib/doc/space-doc';
import { readLinkMessage } from '../../src/lib/sync/paired-link';
import { makeSyncFixture, space } from './sync-fixture';
import { syncMessageCases, type SyncFixture } from './sync-messages.cases';

let fixture: SyncFixture;

beforeAll(() => {
	fixture = makeSyncFixture();
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
