// The IndexedDB database that keeps this device's durable copies of what
// identifies it: the list of spaces with their keys (durable-spaces.ts) and
// the profile, the name picked here and its member id (durable-profile.ts).
// localStorage holds the fast copies every screen reads, but Chromium writes
// it to disk only every few seconds; an IndexedDB write has reached the disk
// once its transaction committed (strict durability).
//
// This module owns opening the database (and its upgrades), one write
// transaction over it, and clearing it all in the wipe's keys-first step.
// Not the files database of device-files.ts: that one holds map files of
// hundreds of megabytes, deleted with the data; this one is cleared first.
//
// Versions: 1 had `spaces` and `removed`; 2 adds `profile`. An upgrade
// creates only the stores missing, so what version 1 kept stays.

import { HeldOpenError } from './held-open';

export const DEVICE_DB = 'barnraise-device';
const VERSION = 2;

export const SPACES = 'spaces';
/** Spaces removed from this device, by id, with when: never copied back in from localStorage. */
export const REMOVED = 'removed';
/** The profile, under the one key PROFILE_RECORD. */
export const PROFILE = 'profile';
export const PROFILE_RECORD = 'me';

const STORES = [SPACES, REMOVED, PROFILE];

/**
 * How long opening waits for other tabs to let go of an older version of the
 * database before giving up (see `open`).
 */
export const OPEN_WAIT_MS = 5_000;

/**
 * The database, or null when it does not exist and `create` is false (then
 * none is made).
 *
 * A version change waits until every other connection closes. Every
 * connection here (and in version 1 of this code) closes itself when told
 * of one (`onversionchange`) and after each transaction anyway, so another
 * tab cannot hold the upgrade back for long, nor can this tab hold back a
 * newer one. A tab that still does not let go (one with other code, a
 * frozen one) makes the open fail after OPEN_WAIT_MS instead of hanging:
 * the caller reports it, and the connection that opens later is closed at
 * once.
 */
export function openDeviceDb(factory: IDBFactory, create: boolean): Promise<IDBDatabase | null> {
	return new Promise((resolve, reject) => {
		let gaveUp = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const request = factory.open(DEVICE_DB, VERSION);
		request.onupgradeneeded = (event) => {
			if (!create && event.oldVersion === 0) {
				request.transaction?.abort();
				return;
			}
			const db = request.result;
			for (const store of STORES) {
				if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
			}
		};
		request.onblocked = () => {
			timer ??= setTimeout(() => {
				gaveUp = true;
				reject(new HeldOpenError('its device database'));
			}, OPEN_WAIT_MS);
		};
		request.onsuccess = () => {
			clearTimeout(timer);
			const db = request.result;
			// Let the wipe delete it, and a newer version open, at once.
			db.onversionchange = () => db.close();
			if (gaveUp) db.close();
			else resolve(db);
		};
		request.onerror = (event) => {
			clearTimeout(timer);
			event.preventDefault();
			if (!create && request.error?.name === 'AbortError') resolve(null);
			else reject(request.error);
		};
	});
}

/**
 * Run `work` in one read-write transaction over `stores`; resolves once it
 * committed (false when there was no database to write). A throw inside a
 * request's callback (a full localStorage) aborts it, so every copy stays
 * as it was.
 */
export async function writeDeviceDb(
	factory: IDBFactory,
	create: boolean,
	stores: string[],
	work: (transaction: IDBTransaction) => void
): Promise<boolean> {
	const db = await openDeviceDb(factory, create);
	if (!db) return false;
	try {
		const transaction = db.transaction(stores, 'readwrite', { durability: 'strict' });
		const committed = new Promise<void>((resolve, reject) => {
			transaction.oncomplete = () => resolve();
			transaction.onabort = () =>
				reject(transaction.error ?? new Error('This device could not save it.'));
		});
		committed.catch(() => {});
		work(transaction);
		await committed;
		return true;
	} finally {
		// Closed at once, so deleting it in a wipe is never held back by this tab.
		db.close();
	}
}

/**
 * The wipe's first step: every space, key and the profile gone from the
 * durable copy (a cleared store, unlike a deleted database, cannot be held
 * back by another tab). A database still at version 1 is upgraded first, so
 * it is cleared all the same. Resolves once that committed; false when there
 * was no database.
 */
export function clearDeviceDb(factory: IDBFactory = indexedDB): Promise<boolean> {
	return writeDeviceDb(factory, false, STORES, (transaction) => {
		for (const store of STORES) transaction.objectStore(store).clear();
	});
}
