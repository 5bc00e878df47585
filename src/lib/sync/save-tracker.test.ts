import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { QuietUpdates } from '../doc/quiet-updates';
import { remoteUpdates } from '../doc/random-updates.test-helper';
import { saveFailure, SaveTracker, type SaveState } from './save-tracker';

async function open(name: string) {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(name, doc);
	await persistence.whenSynced;
	const tracker = new SaveTracker(doc, persistence);
	const states: SaveState['kind'][] = [];
	tracker.subscribe(() => states.push(tracker.state.kind));
	return { doc, persistence, tracker, states };
}

async function until(check: () => boolean) {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
	expect(check()).toBe(true);
}

describe('save tracker', () => {
	it('goes saving → saved for a quiet transaction too, and y-indexeddb keeps what it applied', async () => {
		const doc = new Y.Doc();
		const persistence = new IndexeddbPersistence('save-tracker-quiet', doc);
		await persistence.whenSynced;
		const quiet = new QuietUpdates(doc);
		quiet.standIn(persistence._storeUpdate, (updates, origin) => {
			for (const update of updates) persistence._storeUpdate(update, origin);
		});
		const tracker = new SaveTracker(doc, persistence, quiet);
		const states: string[] = [];
		tracker.subscribe(() => states.push(tracker.state.kind));
		const updates = remoteUpdates();
		expect(
			quiet.transact((applied) => {
				for (const update of updates) {
					Y.applyUpdate(doc, update, 'peer');
					applied.push(update);
				}
			}, 'peer')
		).toBe(true);
		expect(tracker.state.kind).toBe('saving');
		await vi.waitFor(() => expect(tracker.state.kind).toBe('saved'), { timeout: 10_000 });
		expect(states).toEqual(['saving', 'saved']);
		tracker.destroy();
		await persistence.destroy();

		const again = new Y.Doc();
		const reopened = new IndexeddbPersistence('save-tracker-quiet', again);
		await reopened.whenSynced;
		expect(again.getMap('posts').toJSON()).toEqual({ p2: { title: 'Tarps', qty: 10 } });
		await reopened.destroy();
	});
	it('goes saving → saved once the write is in IndexedDB, and the data is really there', async () => {
		const { doc, persistence, tracker, states } = await open('save-tracker-1');
		doc.getMap('m').set('k', 'v');
		expect(tracker.state.kind).toBe('saving');
		await until(() => tracker.state.kind === 'saved');
		expect(states).toEqual(['saving', 'saved']);
		await persistence.destroy();

		const again = new Y.Doc();
		const reopened = new IndexeddbPersistence('save-tracker-1', again);
		await reopened.whenSynced;
		expect(again.getMap('m').get('k')).toBe('v');
		await reopened.destroy();
	});

	it('shows a failed write with a plain message until a later write succeeds', async () => {
		const { doc, persistence, tracker } = await open('save-tracker-2');
		doc.getMap('m').set('a', 1);
		await until(() => tracker.state.kind === 'saved');
		// A write transaction that aborts, as one does when the disk is full:
		// its abort event bubbles to the database, where the tracker hears it.
		const db = persistence.db as IDBDatabase;
		const write = db.transaction(['updates'], 'readwrite');
		write.objectStore('updates').add(new Uint8Array([1, 2, 3]));
		write.abort();
		await until(() => tracker.state.kind === 'failed');
		// Not out of space: the browser refused. Its own words are kept for the technical detail.
		expect(tracker.state).toEqual({
			kind: 'failed',
			reason: 'refused',
			detail: expect.stringMatching(/abort/i)
		});
		doc.getMap('m').set('b', 2);
		await until(() => tracker.state.kind === 'saved');
		await persistence.destroy();
	});

	it('tells a full disk from any other refusal', () => {
		const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		expect(saveFailure(full)).toEqual({
			kind: 'failed',
			reason: 'out-of-space',
			detail: 'The quota has been exceeded.'
		});
		expect(saveFailure(new DOMException('', 'UnknownError'))).toEqual({
			kind: 'failed',
			reason: 'refused',
			detail: 'UnknownError'
		});
	});
});
