// Two devices' whole v2 pipeline in one process: a local change goes through
// the batcher into the signed log database (fake-indexeddb), the engine
// sends it over a link, the other device verifies, judges and applies it.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { SpaceId } from '../../domain/ids';
import { initSpace } from '../../doc/space-doc';
import { SIGNED_SCHEMA_VERSION } from '../../domain/versions';
import { IndexeddbPersistence } from 'y-indexeddb';
import { QuietUpdates } from '../../doc/quiet-updates';
import { OldContentError, SignedSync } from './signed-sync';
import { LocalLog } from './log-store';

let spaces = 0;

/** Two links' worth of queues, delivered by hand. */
function link(a: SignedSync, b: SignedSync) {
	const queues: [SignedSync, string, Uint8Array][] = [];
	a.addLink({ id: 'b', send: (bytes) => queues.push([b, 'a', bytes]) });
	b.addLink({ id: 'a', send: (bytes) => queues.push([a, 'b', bytes]) });
	return async () => {
		for (let round = 0; round < 50; round++) {
			await vi.advanceTimersByTimeAsync(400);
			if (queues.length === 0) continue;
			for (const [to, from, bytes] of queues.splice(0)) to.receive(from, bytes);
		}
	};
}

/** Open a space as the session does, expecting no rebuild. */
async function openOld(space: SpaceId, doc: Y.Doc): Promise<SignedSync> {
	const opened = await SignedSync.openSpace(space, doc);
	if (!(opened instanceof SignedSync)) throw new Error('expected no rebuild');
	return opened;
}

/** Let the batcher and the log database finish: until the log stops growing for a while. */
async function writesDone(sync: SignedSync): Promise<void> {
	let quiet = 0;
	let length = -1;
	while (quiet < 5) {
		await vi.advanceTimersByTimeAsync(400);
		await new Promise((resolve) => setImmediate(resolve));
		const now = sync.engine.lengthOf(sync.log.author);
		quiet = now === length ? quiet + 1 : 0;
		length = now;
	}
}

describe('SignedSync', () => {
	beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] }));
	afterEach(() => vi.useRealTimers());

	it('sends a local change, signed and batched, to a linked device', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const anaDoc = new Y.Doc();
		const benDoc = new Y.Doc();
		// Two devices: two log databases (one name each, as on two phones).
		const ana = await SignedSync.open(space, anaDoc);
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, benDoc);
		expect(anaDoc.clientID).toBe(ana.log.clientId);
		const deliver = link(ana, ben);
		anaDoc.getMap('posts').set('hello', 'world');
		anaDoc.getMap('posts').set('second', 'edit');
		await deliver();
		expect(benDoc.getMap('posts').toJSON()).toEqual({ hello: 'world', second: 'edit' });
		// Two edits in one quiet moment: one entry.
		expect(ana.engine.vector()).toMatchObject([{ length: 1 }]);
		await ana.close();
		await ben.close();
	});

	it('applies peers’ entries quietly: y-indexeddb keeps them, and local changes are still signed', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const anaDoc = new Y.Doc();
		const benDoc = new Y.Doc();
		const benStore = new IndexeddbPersistence(`${space}-ben-doc`, benDoc);
		await benStore.whenSynced;
		const quiet = new QuietUpdates(benDoc);
		const stored = vi.fn((updates: readonly Uint8Array[], origin: unknown) => {
			for (const update of updates) benStore._storeUpdate(update, origin);
		});
		quiet.standIn(benStore._storeUpdate, stored);
		const ana = await SignedSync.open(space, anaDoc);
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, benDoc, { quiet });
		const deliver = link(ana, ben);
		anaDoc.getMap('posts').set('from-ana', 'tarps');
		await deliver();
		expect(benDoc.getMap('posts').toJSON()).toEqual({ 'from-ana': 'tarps' });
		// Applied quietly: y-indexeddb got the entry's own update through its stand-in.
		expect(stored).toHaveBeenCalledTimes(1);
		// Ben's own change is encoded by Yjs as ever, signed, and reaches Ana.
		benDoc.getMap('posts').set('from-ben', 'generator');
		await deliver();
		await writesDone(ben);
		expect(anaDoc.getMap('posts').toJSON()).toEqual({
			'from-ana': 'tarps',
			'from-ben': 'generator'
		});
		expect(ben.engine.lengthOf(ben.log.author)).toBe(1);
		await ana.close();
		await ben.close();
		await benStore.destroy();
		// What Ben's IndexedDB kept holds both.
		const reopened = new Y.Doc();
		const again = new IndexeddbPersistence(`${space}-ben-doc`, reopened);
		await again.whenSynced;
		expect(reopened.getMap('posts').toJSON()).toEqual({
			'from-ana': 'tarps',
			'from-ben': 'generator'
		});
		await again.destroy();
	});

	it('opens again with what it had, under a new writer id', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const doc = new Y.Doc();
		const first = await SignedSync.open(space, doc);
		doc.getMap('posts').set('kept', 1);
		await first.close();
		const again = new Y.Doc();
		Y.applyUpdate(again, Y.encodeStateAsUpdate(doc));
		const second = await SignedSync.open(space, again);
		expect(again.clientID).not.toBe(doc.clientID);
		expect(second.engine.vector()).toMatchObject([{ author: first.log.author, length: 1 }]);
		await second.close();
	});

	it('shares changes between two tabs of one browser through the log database', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const [docA, docB] = [new Y.Doc(), new Y.Doc()];
		const tabA = await SignedSync.open(space, docA);
		const tabB = await SignedSync.open(space, docB);
		// One device: one key, two writer epochs.
		expect(tabB.log.author).toEqual(tabA.log.author);
		expect(docB.clientID).not.toBe(docA.clientID);
		docA.getMap('posts').set('from-a', 1);
		// Tab B writes before it has heard of A's entry: its own comes after it in the log.
		docB.getMap('posts').set('from-b', 2);
		const caughtUp = () => [tabA, tabB].every((tab) => tab.engine.lengthOf(tab.log.author) === 2);
		for (let i = 0; i < 20 && !caughtUp(); i++) {
			await vi.advanceTimersByTimeAsync(400);
			await new Promise((resolve) => setImmediate(resolve));
		}
		for (const doc of [docA, docB])
			expect(doc.getMap('posts').toJSON()).toEqual({ 'from-a': 1, 'from-b': 2 });
		expect(tabA.engine.lengthOf(tabA.log.author)).toBe(2);
		expect(tabB.engine.lengthOf(tabB.log.author)).toBe(2);
		expect(tabA.engine.stops()).toEqual([]);
		await tabA.close();
		await tabB.close();
	});

	it('migrates a space made before v2: its old content is the first entry, its schema goes to 2', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const old = new Y.Doc();
		initSpace(old, 'Shelter', 1);
		old.getMap('posts').set('from-before', 1);
		const ana = await openOld(space, old);
		const fresh = new Y.Doc();
		const ben = await openOld(`${space}-ben` as SpaceId, fresh);
		await link(ana, ben)();
		expect(fresh.getMap('posts').toJSON()).toEqual({ 'from-before': 1 });
		expect(fresh.getMap('meta').get('schemaVersion')).toBe(SIGNED_SCHEMA_VERSION);
		// The import and the schema change: two entries of Ana's log.
		expect(ben.engine.vector()).toMatchObject([{ author: ana.log.author, length: 2 }]);
		expect(ben.engine.stops()).toEqual([]);
		await ana.close();
		await ben.close();
		// Opened again, it has logs: nothing is imported twice.
		const again = await openOld(space, old);
		expect(await again.log.head()).toMatchObject({ seq: 2 });
		await again.close();
	});

	it('migrates an old space whose history changed and deleted ledger entries, as it shows them', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const old = new Y.Doc();
		initSpace(old, 'Depot', 1);
		const entries = old.getMap('entries');
		entries.set('e-old-1', { kind: 'received', quantity: 100 });
		entries.set('e-old-2', { kind: 'received', quantity: 7 });
		// A hostile device before signatures: 100 became 10, and the second entry went.
		entries.set('e-old-1', { kind: 'received', quantity: 10 });
		entries.delete('e-old-2');
		const shown = entries.toJSON();
		// Mended without changing what it shows: no rebuild.
		const ana = await openOld(space, old);
		expect(entries.toJSON()).toEqual(shown);
		const fresh = new Y.Doc();
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, fresh);
		await link(ana, ben)();
		expect(ben.engine.stops()).toEqual([]);
		expect(fresh.getMap('entries').toJSON()).toEqual({
			'e-old-1': { kind: 'received', quantity: 10 }
		});
		expect(fresh.getMap('meta').get('schemaVersion')).toBe(SIGNED_SCHEMA_VERSION);
		await ana.close();
		await ben.close();
	});

	it('asks for a rebuild when mending changes what an old doc shows, and migrates the rebuilt doc', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		// A doc that kept deleted content: the deleted entry comes back.
		const old = new Y.Doc({ gc: false });
		initSpace(old, 'Depot', 1);
		old.getMap('entries').set('e-old-1', { kind: 'received', quantity: 100 });
		old.getMap('entries').delete('e-old-1');
		const opened = await SignedSync.openSpace(space, old);
		if (opened instanceof SignedSync) throw new Error('expected a rebuild');
		expect(opened.repaired).toBe(1);
		// Nothing was written: opening again asks the same.
		expect(await SignedSync.openSpace(space, old)).toEqual(opened);
		const rebuilt = new Y.Doc();
		Y.applyUpdate(rebuilt, opened.rebuild);
		expect(rebuilt.getMap('entries').toJSON()).toEqual({
			'e-old-1': { kind: 'received', quantity: 100 }
		});
		const ana = await openOld(space, rebuilt);
		const fresh = new Y.Doc();
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, fresh);
		await link(ana, ben)();
		expect(ben.engine.stops()).toEqual([]);
		expect(fresh.getMap('entries').toJSON()).toEqual(rebuilt.getMap('entries').toJSON());
		await ana.close();
		await ben.close();
	});

	it('refuses, writing nothing, an old space it cannot cut into entries, and again on reopening', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const old = new Y.Doc();
		initSpace(old, 'Big depot', 1);
		old.transact(() => {
			for (let i = 0; i < 3000; i++) old.getMap('posts').set(`p${i}`, `${i} ${'x'.repeat(3000)}`);
		});
		old.getText('notes').insert(0, 'bold', { bold: true });
		for (let attempt = 0; attempt < 2; attempt++)
			await expect(SignedSync.openSpace(space, old)).rejects.toBeInstanceOf(OldContentError);
		// Nothing was written: not the import, not the schema change.
		const log = await LocalLog.open(space);
		expect(await log.loadAll()).toEqual([]);
		log.close();
		expect(old.getMap('meta').get('schemaVersion')).toBe(1);
	}, 30_000);

	it('migrates an old space larger than one entry as several legacy entries, in order', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const old = new Y.Doc();
		initSpace(old, 'Big depot', 1);
		old.transact(() => {
			for (let i = 0; i < 3000; i++) old.getMap('posts').set(`p${i}`, `${i} ${'x'.repeat(3000)}`);
		});
		const ana = await openOld(space, old);
		await writesDone(ana);
		// The old content in two entries or more, then the schema change.
		const length = ana.engine.lengthOf(ana.log.author);
		expect(length).toBeGreaterThan(2);
		const fresh = new Y.Doc();
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, fresh);
		await link(ana, ben)();
		expect(ben.engine.stops()).toEqual([]);
		expect(ben.engine.lengthOf(ana.log.author)).toBe(length);
		expect(fresh.getMap('posts').size).toBe(3000);
		expect(fresh.getMap('posts').get('p2999')).toBe(old.getMap('posts').get('p2999'));
		await ana.close();
		await ben.close();
	}, 30_000);

	it('starts v2 without importing a doc that holds signed content but no logs (the log database lost them)', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const anaDoc = new Y.Doc();
		const ana = await SignedSync.open(space, anaDoc);
		anaDoc.getMap('posts').set('signed', 1);
		await writesDone(ana);
		// Ben's doc kept Ana's signed change; his log database did not (a crash between the two writes).
		const benDoc = new Y.Doc();
		Y.applyUpdate(benDoc, Y.encodeStateAsUpdate(anaDoc));
		const ben = await openOld(`${space}-ben` as SpaceId, benDoc);
		// Nothing imported as old content: Ana's log brings hers again.
		expect(await ben.log.head()).toBeNull();
		await link(ana, ben)();
		expect(ben.engine.vector()).toMatchObject([{ author: ana.log.author, length: 1 }]);
		expect(ben.engine.stops()).toEqual([]);
		expect(benDoc.getMap('posts').toJSON()).toEqual({ signed: 1 });
		await ana.close();
		await ben.close();
	});

	it('signs on opening what a killed tab changed but never logged, under that tab’s epoch', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const doc = new Y.Doc();
		const killed = await SignedSync.open(space, doc);
		doc.getMap('posts').set('logged', 'tarps');
		await writesDone(killed);
		expect(killed.engine.lengthOf(killed.log.author)).toBe(1);
		// The last moment before the kill: in y-indexeddb at once, never in the log.
		vi.spyOn(killed.log, 'append').mockImplementation(() => new Promise(() => {}));
		doc.transact(() => {
			doc.getMap('posts').delete('logged');
			const post = new Y.Map<unknown>();
			post.set('title', 'Generator');
			doc.getMap('posts').set('unlogged', post);
		});
		await vi.advanceTimersByTimeAsync(1000);
		const kept = Y.encodeStateAsUpdate(doc);

		const reopened = new Y.Doc();
		Y.applyUpdate(reopened, kept);
		const again = await SignedSync.open(space, reopened);
		// Entry 2, under the killed tab's epoch, holds the unlogged change.
		expect(again.engine.lengthOf(again.log.author)).toBe(2);
		// An edit now refers to the unlogged post: peers must not wait for it for ever.
		(reopened.getMap('posts').get('unlogged') as Y.Map<unknown>).set('title', 'Two generators');
		await writesDone(again);
		const benDoc = new Y.Doc();
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, benDoc);
		await link(again, ben)();
		expect(ben.engine.stops()).toEqual([]);
		expect(ben.engine.lengthOf(again.log.author)).toBe(3);
		expect(benDoc.getMap('posts').toJSON()).toEqual({ unlogged: { title: 'Two generators' } });
		await again.close();
		await ben.close();
	});

	it('compacts its own log once it grows, and a device joining after gets the checkpoint', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const anaDoc = new Y.Doc();
		const ana = await SignedSync.open(space, anaDoc, { compactFromBytes: 1024 });
		// Forty quiet moments, each retitling one post: many entries, one title.
		for (let n = 0; n < 40; n++) {
			anaDoc.getMap('posts').set('post', `Title ${n} ${'x'.repeat(100)}`);
			await vi.advanceTimersByTimeAsync(400);
			await new Promise((resolve) => setImmediate(resolve));
		}
		await writesDone(ana);
		const first = await ana.log.firstKept(ana.log.author);
		const length = ana.engine.lengthOf(ana.log.author);
		// Entries below the latest checkpoint are gone from the database too.
		expect(first).toBeGreaterThan(1);
		expect((await ana.log.range(ana.log.author, 1, length)).length).toBe(length - first! + 1);
		const benDoc = new Y.Doc();
		const ben = await SignedSync.open(`${space}-ben` as SpaceId, benDoc);
		await link(ana, ben)();
		expect(benDoc.getMap('posts').toJSON()).toEqual(anaDoc.getMap('posts').toJSON());
		expect(ben.engine.lengthOf(ana.log.author)).toBe(length);
		expect(ben.engine.stops()).toEqual([]);
		await ana.close();
		await ben.close();
	});

	it('lets a tab opened after another compacted start from the checkpoint, and catch up', async () => {
		const space = `signed-${++spaces}` as SpaceId;
		const [docA, docB] = [new Y.Doc(), new Y.Doc()];
		const tabA = await SignedSync.open(space, docA, { compactFromBytes: 1024 });
		for (let n = 0; n < 30; n++) {
			docA.getMap('posts').set('post', `Title ${n} ${'x'.repeat(100)}`);
			await vi.advanceTimersByTimeAsync(400);
			await new Promise((resolve) => setImmediate(resolve));
		}
		await writesDone(tabA);
		expect(await tabA.log.firstKept(tabA.log.author)).toBeGreaterThan(1);
		// As a tab opens: the doc from y-indexeddb, the logs from the database.
		Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));
		const tabB = await SignedSync.open(space, docB);
		docA.getMap('posts').set('after', 'opened');
		await writesDone(tabA);
		await writesDone(tabB);
		expect(tabB.engine.lengthOf(tabB.log.author)).toBe(tabA.engine.lengthOf(tabA.log.author));
		expect(docB.getMap('posts').toJSON()).toEqual(docA.getMap('posts').toJSON());
		expect(tabB.engine.stops()).toEqual([]);
		await tabA.close();
		await tabB.close();
	});
});
