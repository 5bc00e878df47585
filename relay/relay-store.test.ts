// The relay's store against the ways the old hand-written log lost data:
// damaged bytes, a second relay on the same folder, unreadable records. The
// records here are the Yjs updates relays kept before sync v2, which each
// space imports as signed (legacy-import.ts); signed logs are checked the
// same way in signed-space.test.ts.
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
import { readOldContent } from './legacy-import';
import { RelayStore, StoreBusyError } from './relay-store';

const root = mkdtempSync(join(tmpdir(), 'barnraise-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshFolder = () => join(root, `store-${folders++}`);
const quiet = () => {};
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
 * member, so each depends on the one before, each written in a batch of its
 * own as a relay before v2 wrote them; returns the updates.
 */
async function writeTenRecords(location: string, size: number): Promise<Uint8Array[]> {
	const store = await RelayStore.open(location, quiet);
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < 10; i++) {
		doc.getMap('posts').set(`p${i}`, `post-${i}:${noise(i, size)}`);
		await store.space(SPACE).append([{ seq: i + 1, update: updates[i]! }]);
	}
	await store.close();
	return updates;
}

const ALL_TEN = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];

/** Read the old records as the import does; the store is closed again. */
async function loadPosts(location: string) {
	const store = await RelayStore.open(location, quiet);
	const records = await store.space(SPACE).readAll();
	await store.close();
	const { doc, applied, unreadable } = readOldContent(records);
	const report = { applied, unreadable, readError: records.readError };
	return { doc, report, keys: [...doc.getMap('posts').keys()].sort() };
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
		const { report, keys } = await loadPosts(location);
		expect(report).toEqual({ applied: 10, unreadable: 0, readError: undefined });
		expect(keys).toEqual(ALL_TEN);
	});

	it('loses only the record a flipped byte lands in, in a table file, and keeps it as it is', async () => {
		const location = freshFolder();
		const updates = await writeTenRecords(location, 1500);
		// Opening again moves the write-ahead log into a table file (*.ldb).
		await (await RelayStore.open(location, quiet)).close();
		flipByteAfter(location, 'post-3:', 200, '.ldb');

		const { doc, report, keys } = await loadPosts(location);
		expect(report).toMatchObject({ applied: 9, unreadable: 1 });
		// 4–9 build on 3: Yjs holds them until a peer sends 3 again…
		expect(keys).toEqual(['p0', 'p1', 'p2']);
		Y.applyUpdate(doc, updates[3]!);
		// …and then all ten are there: only record 3 was lost.
		expect([...doc.getMap('posts').keys()].sort()).toEqual(ALL_TEN);
		// Nothing is deleted: the damaged record is still there, still refused.
		expect((await loadPosts(location)).report).toMatchObject({ applied: 9, unreadable: 1 });
	});

	it('loses at most one 32 KiB block of its write-ahead log to a flipped byte there', async () => {
		const location = freshFolder();
		// Ten 8 KiB records: about 80 KiB of write-ahead log, three blocks of 32 KiB.
		const updates = await writeTenRecords(location, 8000);
		flipByteAfter(location, 'post-3:', 200, '.log');

		const { doc, report } = await loadPosts(location);
		// LevelDB drops the rest of the damaged block: record 3 and the part of 4
		// in that block (so 4 too); 0–2 before it and 5–9 in later blocks load.
		expect(report).toMatchObject({ applied: 8, unreadable: 0 });
		Y.applyUpdate(doc, updates[3]!);
		Y.applyUpdate(doc, updates[4]!);
		expect([...doc.getMap('posts').keys()].sort()).toEqual(ALL_TEN);
	});

	it('skips a record that is not a Yjs update, reads the others, and deletes none', async () => {
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
		await store.close();
		const { doc, report } = await loadPosts(location);
		expect(report).toMatchObject({ applied: 2, unreadable: 2 });
		expect(doc.getMap('posts').toJSON()).toEqual({ before: 1, after: 2 });
		const reopened = await RelayStore.open(location, quiet);
		const kept = await reopened.space(SPACE).readAll();
		expect(kept.updates.map(({ seq }) => seq)).toEqual([1, 2, 3, 4]);
		await reopened.close();
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
		expect((await loadPosts(location)).keys).toHaveLength(10);
	});

	it('repairs a store whose list of files is damaged, keeping its records', async () => {
		const location = freshFolder();
		await writeTenRecords(location, 50);
		await (await RelayStore.open(location, quiet)).close();
		const manifest = readdirSync(location).find((name) => name.startsWith('MANIFEST-'));
		writeFileSync(join(location, manifest!), 'garbage where the manifest was');
		const lines: string[] = [];
		await (await RelayStore.open(location, (line) => lines.push(line))).close();
		expect(lines.join('\n')).toMatch(/repaired/);
		expect((await loadPosts(location)).keys).toHaveLength(10);
	});
});
