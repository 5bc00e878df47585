// The durable copy of this device's list of spaces and their keys, in the
// device's IndexedDB database (device-db.ts). localStorage (device-store.ts)
// stays the fast, synchronous copy every screen reads, but Chromium writes it
// to disk only every few seconds: a browser killed just after a space was
// created or joined lost the key, while the space's data (IndexedDB)
// survived, unreadable for good. An IndexedDB write has reached the disk once
// it has committed, so:
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
// Damaged records are ignored and left in place, as in localStorage. The
// database itself (opening, upgrades, clearing in a wipe) is device-db.ts.
import type { SpaceId } from '../domain/ids';
import {
	dropSpaceLocally,
	loadSpaces,
	putSpaceLocally,
	readSpaceEntry,
	writeSpacesLocally,
	type SpaceEntry
} from './device-store';
import { REMOVED, SPACES, writeDeviceDb } from './device-db';

/**
 * Run `work` in one read-write transaction over both stores; resolves once it
 * committed (false when there was no database to write). A throw inside a
 * request's callback (a full localStorage) aborts it, so both copies stay as
 * they were.
 */
function write(
	factory: IDBFactory,
	create: boolean,
	work: (spaces: IDBObjectStore, removed: IDBObjectStore) => void
): Promise<boolean> {
	return writeDeviceDb(factory, create, [SPACES, REMOVED], (transaction) =>
		work(transaction.objectStore(SPACES), transaction.objectStore(REMOVED))
	);
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
