import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemberId, SpaceId } from '../domain/ids';
import { loadProfile, loadSpaces, type SpaceEntry } from './device-store';
import { clearDeviceDb, DEVICE_DB, OPEN_WAIT_MS } from './device-db';
import { restoreProfile, saveProfile } from './durable-profile';
import { restoreSpaces, saveSpace } from './durable-spaces';

/** localStorage as the browser has it, in memory. */
class MemoryStorage {
	#items = new Map<string, string>();
	getItem = (key: string) => this.#items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.#items.set(key, String(value));
	removeItem = (key: string) => void this.#items.delete(key);
	clear = () => this.#items.clear();
}

const PROFILE_KEY = 'barnraise:profile';
let factory: IDBFactory;

beforeEach(() => {
	vi.stubGlobal('localStorage', new MemoryStorage());
	factory = new IDBFactory();
});
afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

const ANA = { memberId: 'memberana0001' as MemberId, displayName: 'Ana' };

/** What a browser killed before writing localStorage to disk comes back with. */
function loseLocalStorage(to: unknown = null): void {
	if (to === null) localStorage.removeItem(PROFILE_KEY);
	else localStorage.setItem(PROFILE_KEY, JSON.stringify(to));
}

function openRaw(version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = factory.open(DEVICE_DB, version);
		request.onupgradeneeded = () => upgrade?.(request.result);
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

/** The stored profile record as it is, or undefined. */
async function durableProfile(): Promise<unknown> {
	const db = await openRaw();
	try {
		if (!db.objectStoreNames.contains('profile')) return undefined;
		const read = db.transaction('profile').objectStore('profile').get('me');
		return await new Promise((resolve) => (read.onsuccess = () => resolve(read.result)));
	} finally {
		db.close();
	}
}

async function putRawProfile(value: unknown): Promise<void> {
	await saveProfile('placeholder', factory);
	const db = await openRaw();
	const transaction = db.transaction('profile', 'readwrite');
	transaction.objectStore('profile').put(value, 'me');
	await new Promise((resolve) => (transaction.oncomplete = resolve));
	db.close();
}

function space(n: number): SpaceEntry {
	return {
		spaceId: `space${String(n).padStart(8, '0')}` as SpaceId,
		key: `key-${n}`,
		name: `Space ${n}`,
		addedAt: 1_000 + n,
		signaling: []
	};
}

describe('the durable copy of the profile', () => {
	it('brings back a name whose localStorage copy was lost, under the same member id', async () => {
		const saved = await saveProfile('Ana', factory);
		expect(loadProfile()).toEqual(saved);
		loseLocalStorage();
		await restoreProfile(factory);
		expect(loadProfile()).toEqual(saved);
	});

	it('keeps the member id when a name is picked again after localStorage lost it', async () => {
		const first = await saveProfile('Ana', factory);
		// Killed, and the restore did not finish before the name was asked for.
		loseLocalStorage();
		const again = await saveProfile('Ana María', factory);
		expect(again).toEqual({ memberId: first.memberId, displayName: 'Ana María' });
	});

	it('keeps the newest name: a rename reaches both copies', async () => {
		const first = await saveProfile('Ana', factory);
		await saveProfile('Ana M.', factory);
		loseLocalStorage(first);
		await restoreProfile(factory);
		expect(loadProfile()).toEqual({ memberId: first.memberId, displayName: 'Ana M.' });
	});

	it('copies in a profile only localStorage has (picked before this copy existed)', async () => {
		loseLocalStorage(ANA);
		await restoreProfile(factory);
		expect(await durableProfile()).toEqual(ANA);
		loseLocalStorage();
		await restoreProfile(factory);
		expect(loadProfile()).toEqual(ANA);
	});

	it('ignores a damaged record and leaves it in place, never failing', async () => {
		for (const damaged of [
			'junk',
			{ memberId: 'x', displayName: 'Ana' },
			{ ...ANA, displayName: '' }
		]) {
			factory = new IDBFactory();
			await putRawProfile(damaged);
			loseLocalStorage();
			await restoreProfile(factory);
			expect(loadProfile()).toBeNull();
			expect(await durableProfile()).toEqual(damaged);
			// A valid localStorage copy stays as it is too.
			loseLocalStorage(ANA);
			await restoreProfile(factory);
			expect(loadProfile()).toEqual(ANA);
			expect(await durableProfile()).toEqual(damaged);
		}
	});

	it('leaves both copies as they were when localStorage refuses the write', async () => {
		const first = await saveProfile('Ana', factory);
		vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		await expect(saveProfile('Beatriz', factory)).rejects.toThrow();
		vi.mocked(localStorage.setItem).mockRestore();
		expect(loadProfile()).toEqual(first);
		expect(await durableProfile()).toEqual(first);
	});

	it('is cleared by the wipe: nothing left to restore', async () => {
		await saveProfile('Ana', factory);
		await saveSpace(space(1), factory);
		expect(await clearDeviceDb(factory)).toBe(true);
		expect(await durableProfile()).toBeUndefined();
		loseLocalStorage();
		localStorage.removeItem('barnraise:spaces');
		await restoreProfile(factory);
		await restoreSpaces(factory);
		expect(loadProfile()).toBeNull();
		expect(loadSpaces()).toEqual([]);
	});

	it('makes no database at startup when there is nothing to keep', async () => {
		await restoreProfile(factory);
		expect(await factory.databases()).toEqual([]);
	});
});

describe('a device database made by version 1 of the app', () => {
	/** The database as version 1 left it: spaces and removed, no profile store. */
	async function versionOne(): Promise<void> {
		const db = await openRaw(1, (created) => {
			created.createObjectStore('spaces');
			created.createObjectStore('removed');
		});
		const transaction = db.transaction(['spaces', 'removed'], 'readwrite');
		transaction.objectStore('spaces').put(space(1), space(1).spaceId);
		transaction.objectStore('removed').put(5, space(2).spaceId);
		await new Promise((resolve) => (transaction.oncomplete = resolve));
		db.close();
	}

	it('is upgraded keeping its spaces and removals, and then keeps the profile', async () => {
		await versionOne();
		loseLocalStorage(ANA);
		localStorage.setItem('barnraise:spaces', JSON.stringify([space(2)]));
		await restoreProfile(factory);
		await restoreSpaces(factory);
		// The space kept, the removed one still removed, the profile copied in.
		expect(loadSpaces()).toEqual([space(1)]);
		expect(await durableProfile()).toEqual(ANA);
		const db = await openRaw();
		expect(db.version).toBe(2);
		expect([...db.objectStoreNames].sort()).toEqual(['profile', 'removed', 'spaces']);
		db.close();
	});

	it('is cleared whole by the wipe, profile store and all', async () => {
		await versionOne();
		expect(await clearDeviceDb(factory)).toBe(true);
		localStorage.clear();
		await restoreSpaces(factory);
		expect(loadSpaces()).toEqual([]);
	});

	it('upgrades at once when a tab of version 1 holds it open (it closes when told)', async () => {
		await versionOne();
		const oldTab = await openRaw(1);
		oldTab.onversionchange = () => oldTab.close();
		await saveProfile('Ana', factory);
		expect(loadProfile()?.displayName).toBe('Ana');
	});

	it('fails, rather than hangs, when another tab never lets go of the old version', async () => {
		await versionOne();
		const stuck = await openRaw(1);
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const saving = saveProfile('Ana', factory);
		const outcome = saving.then(
			() => 'saved',
			(error: Error) => error.message
		);
		await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1), { interval: 1 });
		vi.advanceTimersByTime(OPEN_WAIT_MS);
		await expect(outcome).resolves.toMatch(/holding its device database open/);
		expect(loadProfile()).toBeNull();
		// Once the other tab lets go, the upgrade goes through and its connection is closed.
		vi.useRealTimers();
		stuck.close();
		await saveProfile('Ana', factory);
		expect(loadProfile()?.displayName).toBe('Ana');
	});
});
