import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SpaceId } from '../domain/ids';
import { generateSpaceKey } from '../sync/keys';
import { EntryKind } from '../sync/v2/entry';
import { LocalLog, logDatabaseName } from '../sync/v2/log-store';

/** localStorage and sessionStorage as the browser has them, in memory. */
class MemoryStorage {
	#items = new Map<string, string>();
	getItem = (key: string) => this.#items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.#items.set(key, String(value));
	removeItem = (key: string) => void this.#items.delete(key);
	clear = () => this.#items.clear();
}

let device: (typeof import('./device.svelte'))['device'];

beforeAll(async () => {
	vi.stubGlobal('localStorage', new MemoryStorage());
	vi.stubGlobal('sessionStorage', new MemoryStorage());
	vi.stubGlobal('navigator', {});
	({ device } = await import('./device.svelte'));
});

/** A joined space whose device key has signed one entry; the log is left open, as a tab would. */
async function spaceWithLog(name: string): Promise<{ spaceId: SpaceId; log: LocalLog }> {
	const spaceId = await device.join({ key: generateSpaceKey(), name, signaling: [] });
	const log = await LocalLog.open(spaceId);
	await log.append(EntryKind.edit, new Uint8Array([1]), 1);
	return { spaceId, log };
}

async function databaseNames(): Promise<string[]> {
	return (await indexedDB.databases()).map((db) => db.name ?? '');
}

describe('device keys of sync v2 go with their space', () => {
	it('removing a space deletes its log database and so its device key', async () => {
		const kept = await spaceWithLog('Kept');
		const removed = await spaceWithLog('Removed');
		expect(await device.removeSpace(removed.spaceId)).toBe('removed');
		const names = await databaseNames();
		expect(names).not.toContain(logDatabaseName(removed.spaceId));
		expect(names).toContain(logDatabaseName(kept.spaceId));
		// Opened again, the space would start a new log under a new key.
		const again = await LocalLog.open(removed.spaceId);
		expect(again.author).not.toEqual(removed.log.author);
		expect(await again.head()).toBeNull();
		again.close();
		kept.log.close();
	});

	it('wiping the device deletes every log database, also where the browser cannot list them', async () => {
		const { spaceId } = await spaceWithLog('Wiped');
		// Like a browser without indexedDB.databases(): only the names the app knows are deleted.
		vi.spyOn(indexedDB, 'databases').mockResolvedValue([]);
		try {
			await device.wipe();
		} finally {
			vi.mocked(indexedDB.databases).mockRestore();
		}
		expect(await databaseNames()).not.toContain(logDatabaseName(spaceId));
	});
});

/** A tab that keeps a space's log database open and does not let go when asked. */
async function holdOpen(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

/** How many device keys the held database still has. */
async function deviceKeys(db: IDBDatabase): Promise<number> {
	const request = db.transaction('device').objectStore('device').count();
	return new Promise((resolve) => (request.onsuccess = () => resolve(request.result)));
}

// Each waits out the time limit for the held database (a few seconds).
describe('device keys go first, even while another tab holds the logs open', () => {
	it('removing a space clears its device key though its database cannot be deleted yet', async () => {
		const { spaceId, log } = await spaceWithLog('Held');
		log.close();
		const held = await holdOpen(logDatabaseName(spaceId));
		expect(await deviceKeys(held)).toBe(1);
		expect(await device.removeSpace(spaceId)).toBe('pending');
		expect(await deviceKeys(held)).toBe(0);
		held.close();
	}, 30_000);

	it('wiping the device clears every device key though a database cannot be deleted yet', async () => {
		const { spaceId, log } = await spaceWithLog('Held in a wipe');
		log.close();
		const held = await holdOpen(logDatabaseName(spaceId));
		expect(await deviceKeys(held)).toBe(1);
		const leftovers = await device.wipe();
		expect(leftovers?.pending).toEqual([{ kind: 'space', name: 'Held in a wipe' }]);
		expect(await deviceKeys(held)).toBe(0);
		held.close();
	}, 30_000);

	it('wiping the device clears the durable copy of the spaces and their keys', async () => {
		await device.join({ key: generateSpaceKey(), name: 'Kept durably', signaling: [] });
		await device.wipe();
		localStorage.clear();
		await device.restore();
		expect(device.spaces).toEqual([]);
	});
});

describe('a removal the browser refuses', () => {
	it('keeps the space, its key and its data, and says so', async () => {
		const { spaceId, log } = await spaceWithLog('Refused');
		log.close();
		vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		try {
			expect(await device.removeSpace(spaceId)).toBe('kept');
		} finally {
			vi.mocked(localStorage.setItem).mockRestore();
		}
		expect(device.spaces.map((space) => space.spaceId)).toContain(spaceId);
		expect(await databaseNames()).toContain(logDatabaseName(spaceId));
		localStorage.clear();
		await device.restore();
		expect(device.spaces.map((space) => space.spaceId)).toContain(spaceId);
	});
});

describe('a wipe the browser will not let clear the durable copy of the keys', () => {
	it('does not say the keys are gone', async () => {
		await device.join({ key: generateSpaceKey(), name: 'Stuck keys', signaling: [] });
		const refuse = (name: string) => {
			if (name === 'barnraise-device') throw new DOMException('refused', 'UnknownError');
		};
		const open = indexedDB.open.bind(indexedDB);
		const remove = indexedDB.deleteDatabase.bind(indexedDB);
		vi.spyOn(indexedDB, 'open').mockImplementation((name, version) => {
			refuse(name);
			return open(name, version);
		});
		vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation((name) => {
			refuse(name);
			return remove(name);
		});
		try {
			await expect(device.wipe()).rejects.toThrow(/copy of the keys/);
		} finally {
			vi.mocked(indexedDB.open).mockRestore();
			vi.mocked(indexedDB.deleteDatabase).mockRestore();
		}
	});
});
