// A space's own database on this device, and making a new space in it.
// Apart from session.ts so that the home screen, which makes spaces, does
// not load the WebRTC transport with them.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { SpaceId } from '../domain/ids';
import { initSpace } from '../doc/space-doc';
import { SIGNED_SCHEMA_VERSION, SPACE_SCHEMA_VERSION } from '../domain/versions';
import { deriveSpaceSecrets } from './keys';
import { SaveTracker } from './save-tracker';
import { isSignedSyncOn } from './v2/switch';

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
	now: number,
	signed = isSignedSyncOn()
): Promise<{ spaceId: SpaceId }> {
	const { spaceId } = deriveSpaceSecrets(key);
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(databaseName(spaceId), doc);
	await persistence.whenSynced;
	// Under v2 the description is the first entry of this device's signed log.
	const [logStore, entry] = signed
		? await Promise.all([import('./v2/log-store'), import('./v2/entry')])
		: [null, null];
	const log = logStore ? await logStore.LocalLog.open(spaceId) : null;
	if (log) doc.clientID = log.clientId;
	const saved = new Promise<void>((resolve) => {
		const tracker = new SaveTracker(doc, persistence);
		tracker.subscribe(() => {
			if (tracker.state.kind !== 'saving') {
				tracker.destroy();
				resolve();
			}
		});
	});
	// Under v2 it is a signed space from the start: apps without v2 must not write into it.
	initSpace(doc, name, now, '', signed ? SIGNED_SCHEMA_VERSION : SPACE_SCHEMA_VERSION);
	if (log && entry) await log.append(entry.EntryKind.edit, Y.encodeStateAsUpdate(doc), now);
	log?.close();
	await saved;
	await persistence.destroy();
	doc.destroy();
	return { spaceId };
}
