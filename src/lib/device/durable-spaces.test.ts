import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpaceId } from '../domain/ids';
import { loadSpaces, type SpaceEntry } from './device-store';
import { clearDeviceDb, DEVICE_DB } from './device-db';
import { removeSpaceEntry, renameSpaceEntry, restoreSpaces, saveSpace } from './durable-spaces';

/** localStorage as the browser has it, in memory. */
class MemoryStorage {
	#items = new Map<string, string>();
	getItem = (key: string) => this.#items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.#items.set(key, String(value));
	removeItem = (key: string) => void this.#items.delete(key);
	clear = () => this.#items.clear();
}

const SPACES_KEY = 'barnraise:spaces';
let factory: IDBFactory;

beforeEach(() => {
	vi.stubGlobal('localStorage', new MemoryStorage());
	factory = new IDBFactory();
});

function entry(n: number, name = `Space ${n}`): SpaceEntry {
	return {
		spaceId: `space${String(n).padStart(8, '0')}` as SpaceId,
		key: `key-${n}`,
		name,
		addedAt: 1_000 + n,
		signaling: []
	};
}

/** What a browser killed before writing localStorage to disk comes back with. */
function loseLocalStorage(to: unknown[] = []): void {
	localStorage.setItem(SPACES_KEY, JSON.stringify(to));
}

/** The records of the durable copy as stored, by key. */
async function durableRecords(): Promise<Map<IDBValidKey, unknown>> {
	const db = await new Promise<IDBDatabase>((resolve, reject) => {
		const request = factory.open(DEVICE_DB);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
	try {
		if (!db.objectStoreNames.contains('spaces')) return new Map();
		const store = db.transaction('spaces').objectStore('spaces');
		const [keys, values] = await Promise.all(
			[store.getAllKeys(), store.getAll()].map(
				(request) =>
					new Promise<unknown[]>((resolve) => (request.onsuccess = () => resolve(request.result)))
			)
		);
		return new Map(keys!.map((key, at) => [key as IDBValidKey, values![at]]));
	} finally {
		db.close();
	}
}

async function putRaw(key: string, value: unknown): Promise<void> {
	await saveSpace(entry(99), factory);
	const db = await new Promise<IDBDatabase>((resolve) => {
		const request = factory.open(DEVICE_DB);
		request.onsuccess = () => resolve(request.result);
	});
	const transaction = db.transaction('spaces', 'readwrite');
	transaction.objectStore('spaces').put(value, key);
	transaction.objectStore('spaces').delete(entry(99).spaceId);
	await new Promise((resolve) => (transaction.oncomplete = resolve));
	db.close();
}

async function databaseNames(): Promise<string[]> {
	return (await factory.databases()).map((db) => db.name ?? '');
}

describe('the durable copy of the list of spaces', () => {
	it('brings back spaces whose localStorage copy was lost, in the order they were added', async () => {
		await saveSpace(entry(2), factory);
		await saveSpace(entry(1), factory);
		expect(loadSpaces()).toEqual([entry(2), entry(1)]);
		loseLocalStorage();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1), entry(2)]);
	});

	it('keeps the newest name: a rename reaches both copies', async () => {
		await saveSpace(entry(1), factory);
		await renameSpaceEntry(entry(1).spaceId, 'Eastside kitchen', factory);
		loseLocalStorage([entry(1)]);
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1, 'Eastside kitchen')]);
	});

	it('copies in spaces only localStorage has (saved before this copy existed)', async () => {
		loseLocalStorage([entry(1)]);
		await restoreSpaces(factory);
		expect([...(await durableRecords()).values()]).toEqual([entry(1)]);
		loseLocalStorage();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1)]);
	});

	it('ignores damaged records and leaves them in place, never failing', async () => {
		const damaged = entry(3);
		await putRaw(damaged.spaceId, { ...damaged, key: 42 });
		await putRaw('not-an-id', entry(4));
		await putRaw(entry(5).spaceId, entry(6));
		await putRaw(entry(7).spaceId, 'junk');
		await saveSpace(entry(1), factory);
		loseLocalStorage();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1)]);
		const records = await durableRecords();
		expect(records.get(damaged.spaceId)).toEqual({ ...damaged, key: 42 });
		expect(records.get(entry(7).spaceId)).toBe('junk');
		expect(records.size).toBe(5);
	});

	it('keeps a valid localStorage entry whose durable record is damaged', async () => {
		await putRaw(entry(1).spaceId, { spaceId: entry(1).spaceId });
		loseLocalStorage([entry(1)]);
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1)]);
		expect((await durableRecords()).get(entry(1).spaceId)).toEqual({ spaceId: entry(1).spaceId });
	});

	it('never brings back a removed space, even when localStorage missed the removal', async () => {
		await saveSpace(entry(1), factory);
		await saveSpace(entry(2), factory);
		await removeSpaceEntry(entry(1).spaceId, factory);
		expect(loadSpaces()).toEqual([entry(2)]);
		expect([...(await durableRecords()).keys()]).toEqual([entry(2).spaceId]);
		// Killed before localStorage's removal reached the disk.
		loseLocalStorage([entry(1), entry(2)]);
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(2)]);
		expect([...(await durableRecords()).keys()]).toEqual([entry(2).spaceId]);
	});

	it('lets a removed space be joined again', async () => {
		await saveSpace(entry(1), factory);
		await removeSpaceEntry(entry(1).spaceId, factory);
		await saveSpace(entry(1), factory);
		loseLocalStorage([entry(1)]);
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1)]);
	});

	it('a startup in one tab and a removal in another, begun in either order, leave it removed', async () => {
		for (const startupFirst of [true, false]) {
			factory = new IDBFactory();
			loseLocalStorage();
			await saveSpace(entry(1), factory);
			await saveSpace(entry(2), factory);
			const work = startupFirst
				? [restoreSpaces(factory), removeSpaceEntry(entry(1).spaceId, factory)]
				: [removeSpaceEntry(entry(1).spaceId, factory), restoreSpaces(factory)];
			await Promise.all(work);
			expect(loadSpaces()).toEqual([entry(2)]);
			expect([...(await durableRecords()).keys()]).toEqual([entry(2).spaceId]);
		}
	});

	it('does not rename a space back into the list after its removal', async () => {
		await saveSpace(entry(1), factory);
		await Promise.all([
			removeSpaceEntry(entry(1).spaceId, factory),
			renameSpaceEntry(entry(1).spaceId, 'Renamed', factory)
		]);
		expect(loadSpaces()).toEqual([]);
		expect((await durableRecords()).size).toBe(0);
	});

	it('leaves both copies as they were when localStorage refuses the write', async () => {
		await saveSpace(entry(1), factory);
		vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		await expect(saveSpace(entry(2), factory)).rejects.toThrow();
		vi.mocked(localStorage.setItem).mockRestore();
		expect(loadSpaces()).toEqual([entry(1)]);
		expect([...(await durableRecords()).keys()]).toEqual([entry(1).spaceId]);
	});

	it('keeps a space in both copies when the browser refuses its removal', async () => {
		await saveSpace(entry(1), factory);
		vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		await expect(removeSpaceEntry(entry(1).spaceId, factory)).rejects.toThrow();
		vi.mocked(localStorage.setItem).mockRestore();
		expect(loadSpaces()).toEqual([entry(1)]);
		expect([...(await durableRecords()).keys()]).toEqual([entry(1).spaceId]);
		loseLocalStorage();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([entry(1)]);
	});

	it('clearing it leaves nothing to restore', async () => {
		await saveSpace(entry(1), factory);
		expect(await clearDeviceDb(factory)).toBe(true);
		expect((await durableRecords()).size).toBe(0);
		loseLocalStorage();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([]);
	});

	it('makes no database at startup when there is nothing to keep (a wiped device stays empty)', async () => {
		await restoreSpaces(factory);
		expect(await clearDeviceDb(factory)).toBe(false);
		expect(await databaseNames()).toEqual([]);
	});
});
