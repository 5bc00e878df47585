// The durable copy of this device's list of spaces and their keys, in an
// IndexedDB database of its own. localStorage (device-store.ts) stays the
// fast, synchronous copy every screen reads, but Chromium writes it to disk
// only every few seconds: a browser killed just after a space was created or
// joined lost the key, while the space's data (IndexedDB) survived, unreadable
// for good. An IndexedDB write has reached the disk once it has committed, so:
//
// - every change to the list goes through here, as one read-write transaction
//   (strict durability) that writes the durable copy and, inside it, the fast
//   one; the change is done only once that transaction has committed;
// - at startup `restoreSpaces` brings back into localStorage what only the
//   durable copy has, and copies in what only localStorage has (the app before
//   this copy existed, or a tab still running it). It runs in a transaction
//   too, so wholly before or after another tab's change: it never puts back a
//   space that tab is removing;
// - removing a space deletes its durable entry first and leaves its id behind
//   (no key), so a localStorage copy that missed the removal in a crash is not
//   copied back in.
//
// Damaged records are ignored and left in place, as in localStorage. Not the
// files database of device-files.ts: that one holds map files of hundreds of
// megabytes, deleted with the data; this one holds the keys, which the wipe
// clears first, and adding a store there would need a version change that
// another open tab can hold back.
import type { SpaceId } from '../domain/ids';
import {
	dropSpaceLocally,
	loadSpaces,
	putSpaceLocally,
	readSpaceEntry,
	writeSpacesLocally,
	type SpaceEntry
} from './device-store';

export const DEVICE_DB = 'barnraise-device';
const SPACES = 'spaces';
/** Spaces removed from this device, by id, with when: never copied back in from localStorage. */
const REMOVED = 'removed';

/** The database, or null when it does not exist and `create` is false (then none is made). */
function open(factory: IDBFactory, create: boolean): Promise<IDBDatabase | null> {
	return new Promise((resolve, reject) => {
		const request = factory.open(DEVICE_DB, 1);
		request.onupgradeneeded = () => {
			if (!create) {
				request.transaction?.abort();
				return;
			}
			request.result.createObjectStore(SPACES);
			request.result.createObjectStore(REMOVED);
		};
		request.onsuccess = () => {
			const db = request.result;
			// Let the wipe delete it at once.
			db.onversionchange = () => db.close();
			resolve(db);
		};
		request.onerror = (event) => {
			event.preventDefault();
			if (!create && request.error?.name === 'AbortError') resolve(null);
			else reject(request.error);
		};
	});
}

/**
 * Run `work` in one read-write transaction over both stores; resolves once it
 * committed (false when there was no database to write). A throw inside a
 * request's callback (a full localStorage) aborts it, so both copies stay as
 * they were.
 */
async function write(
	factory: IDBFactory,
	create: boolean,
	work: (spaces: IDBObjectStore, removed: IDBObjectStore) => void
): Promise<boolean> {
	const db = await open(factory, create);
	if (!db) return false;
	try {
		const transaction = db.transaction([SPACES, REMOVED], 'readwrite', { durability: 'strict' });
		const committed = new Promise<void>((resolve, reject) => {
			transaction.oncomplete = () => resolve();
			transaction.onabort = () =>
				reject(transaction.error ?? new Error('The list of spaces was not saved.'));
		});
		committed.catch(() => {});
		work(transaction.objectStore(SPACES), transaction.objectStore(REMOVED));
		await committed;
		return true;
	} finally {
		// Closed at once, so deleting it in a wipe is never held back by this tab.
		db.close();
	}
}

/** Keep `entry` (a space created, joined or renamed) in both copies. */
export async function saveSpace(entry: SpaceEntry, factory: IDBFactory = indexedDB): Promise<void> {
	await write(factory, true, (spaces, removed) => {
		// Joined again after a removal: it is on this device again.
		removed.delete(entry.spaceId);
		spaces.put(entry, entry.spaceId).onsuccess = () => putSpaceLocally(entry);
	});
}

/**
 * Give a space on this device its current name. Read inside the transaction:
 * a space another tab removed meanwhile is not written back.
 */
export async function renameSpaceEntry(
	spaceId: SpaceId,
	name: string,
	factory: IDBFactory = indexedDB
): Promise<void> {
	const local = loadSpaces().find((space) => space.spaceId === spaceId);
	if (!local || local.name === name) return;
	await write(factory, true, (spaces) => {
		const read = spaces.get(spaceId);
		read.onsuccess = () => {
			const durable = readSpaceEntry(read.result);
			const current = loadSpaces().find((space) => space.spaceId === spaceId);
			if (!current) return;
			const renamed = { ...(durable?.spaceId === spaceId ? durable : current), name };
			spaces.put(renamed, spaceId).onsuccess = () => putSpaceLocally(renamed);
		};
	});
}

/**
 * Forget a space and its key on this device (its data goes separately), in
 * both copies or, when the browser refuses, in neither: a space gone from the
 * list here but not from the durable copy would come back at the next start.
 */
export async function removeSpaceEntry(
	spaceId: SpaceId,
	factory: IDBFactory = indexedDB
): Promise<void> {
	await write(factory, true, (spaces, removed) => {
		removed.put(Date.now(), spaceId);
		spaces.delete(spaceId).onsuccess = () => dropSpaceLocally(spaceId);
	});
}

/**
 * At startup, before the list is shown or a space opened: make localStorage
 * hold every space of the durable copy, and the durable copy every space of
 * localStorage that was not removed. Only what changed is written.
 */
export async function restoreSpaces(factory: IDBFactory = indexedDB): Promise<void> {
	// No database and nothing to copy in: none is made (a wiped device stays empty).
	await write(factory, loadSpaces().length > 0, (spaces, removed) => {
		const keys = spaces.getAllKeys();
		const values = spaces.getAll();
		const gone = removed.getAllKeys();
		// Requests complete in order: when the last is done, all are.
		gone.onsuccess = () => {
			const durable = new Map<IDBValidKey, unknown>(
				keys.result.map((key, at) => [key, values.result[at]])
			);
			const removedIds = new Set<IDBValidKey>(gone.result);
			const local = loadSpaces();
			const next: SpaceEntry[] = [];
			for (const entry of local) {
				if (durable.has(entry.spaceId)) {
					const kept = readSpaceEntry(durable.get(entry.spaceId));
					// The durable copy is the newer one; a damaged record is left as it is.
					next.push(kept?.spaceId === entry.spaceId ? kept : entry);
				} else if (!removedIds.has(entry.spaceId)) {
					spaces.put(entry, entry.spaceId);
					next.push(entry);
				}
			}
			const missing = [...durable].flatMap(([key, value]) => {
				const entry = readSpaceEntry(value);
				if (!entry || entry.spaceId !== key) return [];
				return local.some((space) => space.spaceId === key) ? [] : [entry];
			});
			next.push(...missing.sort((a, b) => a.addedAt - b.addedAt));
			if (JSON.stringify(next) !== JSON.stringify(local)) writeSpacesLocally(next);
		};
	});
}

/**
 * The wipe's first step: every space and key of the durable copy gone (a
 * cleared store, unlike a deleted database, cannot be held back by another
 * tab). Resolves once that committed; false when there was no database.
 */
export function clearSpaces(factory: IDBFactory = indexedDB): Promise<boolean> {
	return write(factory, false, (spaces, removed) => {
		spaces.clear();
		removed.clear();
	});
}
