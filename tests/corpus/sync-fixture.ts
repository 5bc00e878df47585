// The small space the sync-message corpora break: a real update of it, an
// edit made after it, and the space itself (fixed client ids, so the bytes
// are the same each run).
import * as Y from 'yjs';
import { createPost, initSpace, updatePost } from '../../src/lib/doc/space-doc';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import type { SyncFixture } from './sync-messages.cases';

export function space(clientID: number, title: string): Y.Doc {
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

export function makeSyncFixture(): SyncFixture {
	const source = space(1001, 'Rice');
	const update = Y.encodeStateAsUpdate(source);
	const seen = Y.encodeStateVector(source);
	updatePost(source, 'post-corpus-1001' as PostId, { title: 'Rice and beans' }, 2);
	return { update, later: Y.encodeStateAsUpdate(source, seen) };
}
