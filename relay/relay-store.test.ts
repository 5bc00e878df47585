// The relay's store against the ways the old hand-written log lost data:
// damaged bytes, a second relay on the same folder, unreadable records,
// growth without bound and failed writes.
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RelayStore, StoreBusyError, type UpdateLog } from './relay-store';
import { SpaceStore } from './space-store';

const root = mkdtempSync(join(tmpdir(), 'barnraise-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshFolder = () => join(root, `store-${folders++}`);
const quiet = () => {};
const ORIGIN = 'test:relay-disk';
const SPACE = 'AAAAAAAAAAAAAAAA';

/** Text that does not compress, from a seed, so a record's bytes can be found on disk. */
function noise(seed: number, length: number): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	let state = seed * 7919 + 1;
	let text = '';
	for (let i = 0; i < length; i++) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		text += alphabet[state % alphabet.length];
	}
	return text;
}

/**
 * Ten records, one post each (`post-<i>:` then text unique to it), from one
 * member, so each depends on the one before; returns the updates, as a peer
 * that holds them would send them again.
 */
async function writeTenRecords(location: string, size: number): Promise<Uint8Array[]> {
	const store = await RelayStore.open(location, quiet);
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const { store: keeper } = await SpaceStore.attach(store.space(SPACE), doc, {
		origin: ORIGIN,
		log: quiet,
		compactSlackBytes: 1e9
	});
	for (let i = 0; i < 10; i++) {
		doc.getMap('posts').set(`p${i}`, `post-${i}:${noise(i, size)}`);
		await keeper.flushed();
	}
	await keeper.close();
	await store.close();
	return updates;
}

const ALL_TEN = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];

async function loadPosts(location: string) {
	const store = await RelayStore.open(location, quiet);
	const doc = new Y.Doc();
	const { store: keeper, report } = await SpaceStore.attach(store.space(SPACE), doc, {
		origin: ORIGIN,
		log: quiet
	});
	const keys = [...doc.getMap('posts').keys()].sort();
	return { store, doc, keeper, report, keys };
}

/** Flip one bit of the byte `offset` bytes after `marker`, in whichever store file holds it. */
function flipByteAfter(location: string, marker: string, offset: number, fileEnding: string) {
	for (const name of readdirSync(location).filter((file) => file.endsWith(fileEnding))) {
		const bytes = readFileSync(join(location, name));
		const at = bytes.indexOf(marker);
		if (at < 0) continue;
		bytes[at + offset] = (bytes[at + offset] ?? 0) ^ 0x04;
		writeFileSync(join(location, name), bytes);
		return;
	}
	throw new Error(`${marker} is in no *${fileEnding} file`);
}

describe('relay store', () => {
	it('keeps every update across a reopen', async () => {
		const location = freshFolder();
		await writeTenRecords(location, 50);
		const { store, keeper, report, keys } = await loadPosts(location);
		expect(report).toEqual({ loaded: 10, dropped: 0, readError: undefined });
		expect(keys).toEqual(ALL_TEN);
		await keeper.close();
		await store.close();
	});

	it('loses only the record a flipped byte lands in, in a table file', async () => {
		const location = freshFolder();
		const updates = await writeTenRecords(location, 1500);
		// Opening again moves the write-ahead log into a table file (*.ldb).
		await (await RelayStore.open(location, quiet)).close();
		flipByteAfter(location, 'post-3:', 200, '.ldb');

		const { store, doc, keeper, report, keys } = await loadPosts(location);
		expect(report).toMatchObject({ loaded: 9, dropped: 1 });
		// 4–9 build on 3: Yjs holds them until a peer sends 3 again…
		expect(keys).toEqual(['p0', 'p1', 'p2']);
		Y.applyUpdate(doc, updates[3]!);
		// …and then all ten are there: only record 3 was lost.
		expect([...doc.getMap('posts').keys()].sort()).toEqual(ALL_TEN);
		await keeper.close();
		await store.close();
		const reopened = await loadPosts(location);
		expect(reopened.report.dropped).toBe(0);
		expect(reopened.keys).toEqual(ALL_TEN);
		await reopened.keeper.close();
		await reopened.store.close();
	});

	it('loses at most one 32 KiB block of its write-ahead log to a flipped byte there', async () => {
		const location = freshFolder();
		// Ten 8 KiB records: about 80 KiB of write-ahead log, three blocks of 32 KiB.
		const updates = await writeTenRecords(location, 8000);
		flipByteAfter(location, 'post-3:', 200, '.log');

		const { store, doc, keeper, report } = await loadPosts(location);
		// LevelDB drops the rest of the damaged block: record 3 and the part of 4
		// in that block (so 4 too); 0–2 before it and 5–9 in later blocks load.
		expect(report).toMatchObject({ loaded: 8, dropped: 0 });
		Y.applyUpdate(doc, updates[3]!);
		Y.applyUpdate(doc, updates[4]!);
		expect([...doc.getMap('posts').keys()].sort()).toEqual(ALL_TEN);
		await keeper.close();
		await store.close();
	});

	it('skips a record that is not a Yjs update and loads the others', async () => {
		const location = freshFolder();
		const store = await RelayStore.open(location, quiet);
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (update: Uint8Array) => updates.push(update));
		source.getMap('posts').set('before', 1);
		source.getMap('posts').set('after', 2);
		await store.space(SPACE).append([
			{ seq: 1, update: updates[0]! },
			{ seq: 2, update: Uint8Array.from([0, 9, 9, 9, 200, 200, 200]) },
			{ seq: 3, update: Uint8Array.from([]) },
			{ seq: 4, update: updates[1]! }
		]);
		const doc = new Y.Doc();
		const { store: keeper, report } = await SpaceStore.attach(store.space(SPACE), doc, {
			origin: ORIGIN,
			log: quiet
		});
		expect(report).toMatchObject({ loaded: 2, dropped: 2 });
		expect(doc.getMap('posts').toJSON()).toEqual({ before: 1, after: 2 });
		// The unreadable ones are gone from the store, not refused again on every start.
		expect((await store.space(SPACE).readAll()).updates.map(({ seq }) => seq)).toEqual([1, 4]);
		await keeper.close();
		await store.close();
	});

	it('keeps its files in a folder only its owner can enter, whatever the data folder allows', async () => {
		const dataDir = freshFolder();
		mkdirSync(join(dataDir, 'store'), { recursive: true, mode: 0o755 });
		const store = await RelayStore.open(join(dataDir, 'store'), quiet);
		expect(statSync(join(dataDir, 'store')).mode & 0o777).toBe(0o700);
		await store.close();
	});

	it('refuses a second opening of a folder another relay holds, and changes nothing', async () => {
		const location = freshFolder();
		await writeTenRecords(location, 50);
		const first = await RelayStore.open(location, quiet);
		await expect(RelayStore.open(location, quiet)).rejects.toBeInstanceOf(StoreBusyError);
		await first.close();
		const { store, keeper, keys } = await loadPosts(location);
		expect(keys).toHaveLength(10);
		await keeper.close();
		await store.close();
	});

	it('repairs a store whose list of files is damaged, keeping its records', async () => {
		const location = freshFolder();
		await writeTenRecords(location, 50);
		await (await RelayStore.open(location, quiet)).close();
		const manifest = readdirSync(location).find((name) => name.startsWith('MANIFEST-'));
		writeFileSync(join(location, manifest!), 'garbage where the manifest was');
		const lines: string[] = [];
		const store = await RelayStore.open(location, (line) => lines.push(line));
		expect(lines.join('\n')).toMatch(/repaired/);
		const doc = new Y.Doc();
		const { store: keeper } = await SpaceStore.attach(store.space(SPACE), doc, {
			origin: ORIGIN,
			log: quiet
		});
		expect(doc.getMap('posts').size).toBe(10);
		await keeper.close();
		await store.close();
	});

	it('compacts by size: the records stay within twice the merged state plus the slack', async () => {
		const location = freshFolder();
		const store = await RelayStore.open(location, quiet);
		const doc = new Y.Doc();
		const slack = 4096;
		const { store: keeper } = await SpaceStore.attach(store.space(SPACE), doc, {
			origin: ORIGIN,
			log: quiet,
			compactSlackBytes: slack
		});
		let highest = 0;
		for (let i = 0; i < 400; i++) {
			// Overwrites: the merged state stays small while the records pile up.
			doc.getMap('posts').set(`p${i % 5}`, noise(i, 100));
			await keeper.flushed();
			const merged = Y.encodeStateAsUpdate(doc).byteLength;
			highest = Math.max(highest, keeper.storedBytes);
			expect(keeper.storedBytes).toBeLessThanOrEqual(2 * merged + slack + 200);
		}
		const records = await store.space(SPACE).readAll();
		expect(records.updates.length).toBe(keeper.storedRecords);
		expect(records.updates.length).toBeLessThan(100);
		expect(highest).toBeGreaterThan(slack);
		const expected = doc.getMap('posts').toJSON();
		await keeper.close();
		await store.close();
		const { store: again, doc: reloaded, keeper: keeperAgain } = await loadPosts(location);
		expect(reloaded.getMap('posts').toJSON()).toEqual(expected);
		await keeperAgain.close();
		await again.close();
	});

	it('writes after the last record when reading stopped early, never over one it did not read', async () => {
		const location = freshFolder();
		await writeTenRecords(location, 100);
		const store = await RelayStore.open(location, quiet);
		const real = store.space(SPACE);
		// Reading fails after the first three records (a missing table file, say).
		const shortRead: UpdateLog = {
			readAll: async () => {
				const all = await real.readAll();
				return { ...all, updates: all.updates.slice(0, 3), readError: 'Error: read failed' };
			},
			lastSeq: () => real.lastSeq(),
			remove: (seqs) => real.remove(seqs),
			append: (updates) => real.append(updates),
			replace: (replaced, merged) => real.replace(replaced, merged)
		};
		const doc = new Y.Doc();
		const { store: keeper } = await SpaceStore.attach(shortRead, doc, {
			origin: ORIGIN,
			log: quiet,
			compactSlackBytes: 1e9
		});
		doc.getMap('posts').set('new', 'written after the failed read');
		await keeper.flushed();
		await keeper.close();
		await store.close();
		const { store: again, keys, keeper: keeperAgain } = await loadPosts(location);
		expect(keys).toEqual([...ALL_TEN, 'new'].sort());
		await keeperAgain.close();
		await again.close();
	});

	it('writes the whole state again after a failed write, so memory and disk agree', async () => {
		const location = freshFolder();
		const store = await RelayStore.open(location, quiet);
		const real = store.space(SPACE);
		let failures = 2;
		const flaky: UpdateLog = {
			readAll: () => real.readAll(),
			lastSeq: () => real.lastSeq(),
			remove: (seqs) => real.remove(seqs),
			append: (updates) =>
				failures-- > 0 ? Promise.reject(new Error('disk full')) : real.append(updates),
			replace: (replaced, merged) =>
				failures-- > 0 ? Promise.reject(new Error('disk full')) : real.replace(replaced, merged)
		};
		const lines: string[] = [];
		const doc = new Y.Doc();
		const { store: keeper } = await SpaceStore.attach(flaky, doc, {
			origin: ORIGIN,
			log: (line) => lines.push(line),
			retryMs: 20
		});
		doc.getMap('posts').set('lost-in-memory', 1);
		doc.getMap('posts').set('second', 2);
		await expect.poll(() => failures, { timeout: 5000 }).toBeLessThan(0);
		await keeper.flushed();
		doc.getMap('posts').set('third', 3);
		await keeper.close();
		expect(lines.join('\n')).toMatch(/disk full/);
		await store.close();
		const { store: again, doc: reloaded, keeper: keeperAgain } = await loadPosts(location);
		expect(reloaded.getMap('posts').toJSON()).toEqual({ 'lost-in-memory': 1, second: 2, third: 3 });
		await keeperAgain.close();
		await again.close();
	});
});
