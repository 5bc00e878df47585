import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importLegacyLogs, readLegacyLog } from './legacy-log';
import { readOldContent } from './legacy-import';
import { RelayStore } from './relay-store';

const root = mkdtempSync(join(tmpdir(), 'barnraise-legacy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SPACE = 'BBBBBBBBBBBBBBBB';

/** An old disk-log file, as relays before the LevelDB store wrote them. */
function oldLog(updates: Uint8Array[]): Buffer {
	return Buffer.concat(
		updates.map((update) => {
			const header = Buffer.alloc(8);
			header.writeUInt32BE(update.byteLength, 0);
			header.writeUInt32BE(crc32(update), 4);
			return Buffer.concat([header, update]);
		})
	);
}

function postsUpdates(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i++) doc.getMap('posts').set(`p${i}`, i);
	return updates;
}

async function postsIn(store: RelayStore, spaceId: string) {
	const { doc } = readOldContent(await store.space(spaceId).readAll());
	return doc.getMap('posts').toJSON();
}

describe('importing the old disk logs', () => {
	it('imports each old log once and keeps the file, renamed', async () => {
		const dataDir = join(root, 'a');
		const store = await RelayStore.open(join(dataDir, 'store'), () => {});
		const updates = postsUpdates(5);
		// A torn last record, as a crash mid-write left it.
		writeFileSync(join(dataDir, `${SPACE}.ylog`), oldLog(updates).subarray(0, -3));
		writeFileSync(join(dataDir, 'notes.txt'), 'not a log');
		const lines: string[] = [];

		expect(await importLegacyLogs(dataDir, store, (line) => lines.push(line))).toBe(1);
		expect(lines.join('\n')).toMatch(
			/imported 4 updates .* \(\d+ bytes at its end were unreadable\)/
		);
		expect(existsSync(join(dataDir, `${SPACE}.ylog`))).toBe(false);
		expect(existsSync(join(dataDir, `${SPACE}.ylog.imported`))).toBe(true);
		expect(existsSync(join(dataDir, 'notes.txt'))).toBe(true);
		expect(await postsIn(store, SPACE)).toEqual({ p0: 0, p1: 1, p2: 2, p3: 3 });

		// The next start finds nothing to import.
		expect(await importLegacyLogs(dataDir, store, () => {})).toBe(0);
		await store.close();
	});

	it('does not import a log twice when a crash came between the import and the rename', async () => {
		const dataDir = join(root, 'b');
		const store = await RelayStore.open(join(dataDir, 'store'), () => {});
		const path = join(dataDir, `${SPACE}.ylog`);
		writeFileSync(path, oldLog(postsUpdates(3)));
		await importLegacyLogs(dataDir, store, () => {});
		// Put the file back, as if the rename had not happened.
		writeFileSync(path, oldLog(postsUpdates(3)));
		expect(await importLegacyLogs(dataDir, store, () => {})).toBe(0);
		expect((await store.space(SPACE).readAll()).updates).toHaveLength(3);
		expect(existsSync(`${path}.imported`)).toBe(true);
		await store.close();
	});

	it('reads an old log up to its first damaged record', () => {
		const updates = postsUpdates(3);
		const bytes = oldLog(updates);
		bytes[8 + (updates[0]?.byteLength ?? 0) + 8 + 2]! ^= 1;
		const contents = readLegacyLog(bytes);
		expect(contents.updates).toHaveLength(1);
		expect(contents.discardedBytes).toBe(bytes.byteLength - 8 - (updates[0]?.byteLength ?? 0));
	});
});
