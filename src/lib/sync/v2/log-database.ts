// The name of a space's log database and forgetting this device's key in
// it: what removing a space and wiping the device need, kept apart from
// log-store.ts so that the home screen does not load the log codec and
// Ed25519 with them (they come only with a space under sync v2).
import type { SpaceId } from '../../domain/ids';

/** The store that holds this device's key (log-store.ts). */
export const DEVICE_STORE = 'device';

export function logDatabaseName(spaceId: SpaceId): string {
	return `barnraise-logs-${spaceId}`;
}

export function done(transaction: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		transaction.oncomplete = () => resolve();
		transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
	});
}

/**
 * Forget this device's key for the logs in database `name`, if that database
 * exists (it is never created here). Removing a space and wiping the device
 * call it before deleting the database, which another tab holding it open
 * can hold back for good: a read-write transaction is not held back.
 */
export function forgetDeviceKey(name: string, factory: IDBFactory = indexedDB): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = factory.open(name);
		// No such database: nothing to forget, and none is left behind.
		request.onupgradeneeded = () => request.transaction?.abort();
		request.onerror = (event) => {
			event.preventDefault();
			if (request.error?.name === 'AbortError') resolve();
			else reject(request.error);
		};
		request.onsuccess = () => {
			const db = request.result;
			if (!db.objectStoreNames.contains(DEVICE_STORE)) {
				db.close();
				resolve();
				return;
			}
			const transaction = db.transaction(DEVICE_STORE, 'readwrite', { durability: 'strict' });
			transaction.objectStore(DEVICE_STORE).clear();
			done(transaction)
				.then(resolve, reject)
				.finally(() => db.close());
		};
	});
}
