// Opening a session that fails part-way must let go of what it opened: the
// doc and its IndexedDB persistence, which would otherwise stay in memory
// listening, and be opened a second time by the next try.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { deleteDatabaseWithin } from '../device/delete-database';
import { deriveSpaceSecrets } from './keys';
import { SpaceSession } from './session';
import { databaseName } from './space-database';
import { OPEN_WAIT_MS, logDatabaseName } from './v2/log-store';

function holdOldLogDatabase(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name, 1);
		request.onupgradeneeded = () => request.result.createObjectStore('device');
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

describe('SpaceSession.open', () => {
	afterEach(() => {
		vi.useRealTimers();
		vi.restoreAllMocks();
	});

	it('lets go of the doc and its persistence when signed sync fails to open', async () => {
		const persistences = vi.spyOn(IndexeddbPersistence.prototype, 'destroy');
		const docs = vi.spyOn(Y.Doc.prototype, 'destroy');
		const key = crypto.getRandomValues(new Uint8Array(32));
		const { spaceId } = deriveSpaceSecrets(key);
		// An old tab that never lets go of the log database makes SignedSync fail.
		const stuck = await holdOldLogDatabase(logDatabaseName(spaceId));
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const opening = SpaceSession.open(key, {
			signaling: [],
			iceServers: [],
			memberId: 'm-ana' as MemberId,
			signed: true
		}).then(
			() => 'opened',
			(error: Error) => error.message
		);
		await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1), { interval: 1 });
		vi.advanceTimersByTime(OPEN_WAIT_MS);
		await expect(opening).resolves.toMatch(/holding this space’s logs open/);
		vi.useRealTimers();
		stuck.close();
		expect(persistences).toHaveBeenCalledTimes(1);
		expect(docs).toHaveBeenCalledTimes(1);
		expect(await deleteDatabaseWithin(databaseName(spaceId), 1000)).toBe('deleted');
	});
});
