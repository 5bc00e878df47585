// Files kept on this device only, never synced: the PMTiles archive a person
// opened for the geographic map (often hundreds of megabytes), so it is there
// again after a reload. IndexedDB stores the File as it is; wiping the device
// deletes this database with the others.

export const DEVICE_FILES_DB = 'barnraise-device-files';
const STORE = 'files';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DEVICE_FILES_DB, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function run<T>(
	mode: IDBTransactionMode,
	action: (store: IDBObjectStore) => IDBRequest<T>
): Promise<T> {
	const db = await open();
	try {
		return await new Promise<T>((resolve, reject) => {
			const request = action(db.transaction(STORE, mode).objectStore(STORE));
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	} finally {
		// Closed at once, so wiping the device is never blocked by it.
		db.close();
	}
}

export async function keepFile(key: string, file: File): Promise<void> {
	await run('readwrite', (store) => store.put(file, key));
}

export async function keptFile(key: string): Promise<File | null> {
	try {
		const value = await run('readonly', (store) => store.get(key));
		return value instanceof File ? value : null;
	} catch {
		return null;
	}
}

export async function forgetFile(key: string): Promise<void> {
	await run('readwrite', (store) => store.delete(key));
}
