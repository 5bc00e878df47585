// Opening a session that fails part-way must let go of what it opened: the
// doc and its IndexedDB persistence, which would otherwise stay in memory
// listening, and be opened a second time by the next try. And a space from
// before signed sync whose mending changes what it shows is rebuilt first.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { deleteDatabaseWithin } from '../device/delete-database';
import { deriveSpaceSecrets } from './keys';
import { loadSpace, SpaceSession } from './session';
import { databaseName } from './space-database';
import { MAX_ENTRY_BODY_BYTES } from './v2/entry';
import { OPEN_WAIT_MS, logDatabaseName } from './v2/log-store';

function holdOldLogDatabase(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name, 1);
		request.onupgradeneeded = () => request.result.createObjectStore('device');
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

/**
 * An older app's doc of a new space in IndexedDB: a post too large for any
 * signed entry beside a small one, so moving it to signed sync rebuilds it.
 */
async function oldSpaceNeedingRebuild() {
	const key = crypto.getRandomValues(new Uint8Array(32));
	const { spaceId } = deriveSpaceSecrets(key);
	const old = new Y.Doc();
	const persistence = new IndexeddbPersistence(databaseName(spaceId), old);
	await persistence.whenSynced;
	old.getMap('posts').set('huge', 'x'.repeat(MAX_ENTRY_BODY_BYTES));
	old.getMap('posts').set('small', 'kept');
	// y-indexeddb writes each change as it comes; give it the moment it takes.
	await new Promise((resolve) => setTimeout(resolve, 100));
	await persistence.destroy();
	return { key, spaceId };
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
			memberId: 'm-ana' as MemberId
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

	it('rebuilds a space from before signed sync whose mending changes what it shows, once', async () => {
		const { key } = await oldSpaceNeedingRebuild();
		const options = { signaling: [], iceServers: [], memberId: 'm-ana' as MemberId };
		const session = await SpaceSession.open(key, options);
		expect(session.repairedOnOpen).toBe(1);
		expect(session.doc.getMap('posts').toJSON()).toEqual({ small: 'kept' });
		await session.signed.flush();
		expect(session.signed.engine.stops()).toEqual([]);
		await session.destroy();
		// What the database holds now is the mended doc, and it is not mended again.
		const again = await SpaceSession.open(key, options);
		expect(again.repairedOnOpen).toBe(0);
		expect(again.doc.getMap('posts').toJSON()).toEqual({ small: 'kept' });
		expect(again.signed.engine.lengthOf(again.signed.log.author)).toBeGreaterThanOrEqual(1);
		await again.destroy();
	}, 60_000);

	it('lets two tabs opening an old space that needs a rebuild go one at a time, so neither opens it unmended', async () => {
		// Web Locks as a browser gives them: one holder per name, the rest wait their turn.
		const held = new Map<string, Promise<unknown>>();
		vi.stubGlobal('navigator', {
			locks: {
				request: (name: string, task: () => Promise<unknown>) => {
					const turn = (held.get(name) ?? Promise.resolve()).then(task, task);
					held.set(
						name,
						turn.catch(() => {})
					);
					return turn;
				}
			}
		});
		const { spaceId } = await oldSpaceNeedingRebuild();
		const tabs = await Promise.all([loadSpace(spaceId), loadSpace(spaceId)]);
		for (const tab of tabs) expect(tab.doc.getMap('posts').toJSON()).toEqual({ small: 'kept' });
		expect(tabs.map((tab) => tab.repaired).sort()).toEqual([0, 1]);
		for (const tab of tabs) {
			await tab.signed.close();
			await tab.persistence.destroy();
			tab.doc.destroy();
		}
		vi.unstubAllGlobals();
	}, 60_000);
});
