// A space's own database on this device, and making a new space in it.
// Apart from session.ts so that the home screen, which makes spaces, does
// not load the WebRTC transport with them.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { SpaceId } from '../domain/ids';
import { initSpace } from '../doc/space-doc';
import { SIGNED_SCHEMA_VERSION } from '../domain/versions';
import { deriveSpaceSecrets } from './keys';
import { ownBytes } from './own-bytes';
import { SaveTracker } from './save-tracker';

export function databaseName(spaceId: SpaceId): string {
	return `barnraise-space-${spaceId}`;
}

/**
 * Make a new space on this device: a fresh key, and the space's description
 * written to its database before anything else opens it.
 */
export async function createSpaceOnDevice(
	key: Uint8Array,
	name: string,
	now: number
): Promise<{ spaceId: SpaceId }> {
	const { spaceId } = deriveSpaceSecrets(key);
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(databaseName(spaceId), doc);
	await persistence.whenSynced;
	// The description is the first entry of this device's signed log (loaded
	// here only: the home screen does not need Ed25519 until a space is made).
	const [logStore, entry] = await Promise.all([import('./v2/log-store'), import('./v2/entry')]);
	const log = await logStore.LocalLog.open(spaceId);
	doc.clientID = log.clientId;
	const saved = new Promise<void>((resolve) => {
		const tracker = new SaveTracker(doc, persistence);
		tracker.subscribe(() => {
			if (tracker.state.kind !== 'saving') {
				tracker.destroy();
				resolve();
			}
		});
	});
	// A signed space from the start: apps without signed sync must not write into it.
	initSpace(doc, name, now, '', SIGNED_SCHEMA_VERSION);
	await log.append(entry.EntryKind.edit, Y.encodeStateAsUpdate(doc), now);
	log.close();
	await saved;
	await persistence.destroy();
	doc.destroy();
	return { spaceId };
}

/**
 * Make `update` all the space's database holds, in one IndexedDB transaction
 * (so a crash leaves the old content or the new, never neither). For a space
 * from before signed sync whose old content was mended on the way to it
 * (v2/legacy.ts): the doc cannot unlearn what it holds, so it is loaded anew.
 */
export async function rebuildDoc(spaceId: SpaceId, update: Uint8Array): Promise<void> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const request = indexedDB.open(databaseName(spaceId));
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('could not open the space'));
	});
	try {
		await new Promise<void>((resolve, reject) => {
			// y-indexeddb's own store: its records are updates, applied in key order.
			const transaction = db.transaction(['updates'], 'readwrite');
			const updates = transaction.objectStore('updates');
			updates.clear();
			updates.add(ownBytes(update));
			transaction.oncomplete = () => resolve();
			transaction.onerror = transaction.onabort = () =>
				reject(transaction.error ?? new Error('could not rewrite the space'));
		});
	} finally {
		db.close();
	}
}
