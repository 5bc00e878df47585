// Kill a relay while it imports a space's old content into its own signed
// log (legacy-import.ts), at several moments of its one write: the store
// must open again holding all of the import (key, entries, heads and the
// record saying so) or none of it, and an import not made is made at the
// next start.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { authorKey, decodeEntry, EntryKind } from '../src/lib/sync/v2/entry';
import { importLegacyContent } from './legacy-import';
import { RelayStore } from './relay-store';

const child = fileURLToPath(new URL('./store-crash-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'barnraise-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SPACE = 'CCCCCCCCCCCCCCCC';

/** Text that does not compress, so the import's write is large. */
function noise(seed: number, length: number): string {
	let state = seed * 7919 + 1;
	let text = '';
	for (let i = 0; i < length; i++) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		text += String.fromCharCode(97 + (state % 26));
	}
	return text;
}

/** A store holding a space's updates from before v2: 600 posts of 1 KiB, one update each. */
async function seedOldContent(location: string): Promise<void> {
	const store = await RelayStore.open(location, () => {});
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < 600; i++) doc.getMap('posts').set(`p${i}`, noise(i, 1024));
	await store.space(SPACE).append(updates.map((update, i) => ({ seq: i + 1, update })));
	await store.close();
}

/** Run the import in a child and SIGKILL it `delayMs` after it says it is writing; whether it finished first. */
async function importUntilKilled(location: string, delayMs: number): Promise<boolean> {
	const importer = spawn(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`import { runnerImport } from 'vite';
			await runnerImport(${JSON.stringify(child)}, { configFile: false, logLevel: 'warn' });`
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, CRASH_STORE: location, CRASH_SPACE: SPACE }
		}
	);
	const errors: string[] = [];
	createInterface({ input: importer.stderr }).on('line', (line) => errors.push(line));
	let finished = false;
	let writing = false;
	const exited = new Promise((resolve) => importer.once('exit', resolve));
	createInterface({ input: importer.stdout }).on('line', (line) => {
		if (line === 'imported') finished = true;
		if (line !== 'writing') return;
		writing = true;
		setTimeout(() => importer.kill('SIGKILL'), delayMs);
	});
	await exited;
	expect(writing, errors.join('\n')).toBe(true);
	return finished;
}

/** What the store holds of the import: all of it (checked whole), or null when none of it. */
async function importKept(store: RelayStore): Promise<number | null> {
	const record = await store.legacyImported(SPACE);
	const key = await store.ownKey(SPACE);
	const { logs, dropped } = await store.signedLogs(SPACE).readAll();
	expect(dropped).toBe(0);
	if (!record) {
		expect(key).toBeNull();
		expect(logs).toEqual([]);
		return null;
	}
	expect(authorKey(key!.author)).toBe(record.author);
	expect(logs).toHaveLength(1);
	const [log] = logs;
	expect(authorKey(log!.author)).toBe(record.author);
	expect(log!.entries).toHaveLength(record.entries);
	expect([...log!.signatures.keys()].sort((a, b) => a - b)).toEqual(
		Array.from({ length: record.entries }, (_, i) => i + 1)
	);
	for (const bytes of log!.entries) {
		const entry = decodeEntry(bytes);
		expect(entry.ok && entry.entry.kind).toBe(EntryKind.legacyImport);
	}
	return record.entries;
}

describe('a relay killed while importing old content', () => {
	it('keeps all of the import or none, and makes it at the next start when none', async () => {
		const seeded = join(root, 'seeded');
		await seedOldContent(seeded);
		const outcomes: string[] = [];
		for (const delayMs of [0, 15, 30, 40, 50, 1000]) {
			const location = join(root, `killed-${delayMs}`);
			cpSync(seeded, location, { recursive: true });
			const finished = await importUntilKilled(location, delayMs);
			const store = await RelayStore.open(location, () => {});
			const kept = await importKept(store);
			if (finished) expect(kept).not.toBeNull();
			outcomes.push(kept === null ? 'none' : 'all');
			const again = await importLegacyContent(store, SPACE, { log: () => {} });
			expect(again.status).toBe(kept === null ? 'imported' : 'imported-before');
			expect(await importKept(store)).toBeGreaterThan(0);
			await store.close();
		}
		// Given a second, the import finishes.
		expect(outcomes.at(-1)).toBe('all');
	}, 120_000);
});
