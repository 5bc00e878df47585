// Kill a process that is writing and compacting a relay store, at several
// points: the store must open again with every post it reported stored.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RelayStore } from './relay-store';
import { SpaceStore } from './space-store';

const child = fileURLToPath(new URL('./store-crash-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'barnraise-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Run the writer until it has compacted `compactions` times, then SIGKILL it; returns the highest post it reported stored. */
async function writeUntilKilled(location: string, compactions: number): Promise<number> {
	const writer = spawn(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`import { runnerImport } from 'vite';
			await runnerImport(${JSON.stringify(child)}, { configFile: false, logLevel: 'warn' });`
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CRASH_STORE: location } }
	);
	let stored = -1;
	let seen = 0;
	const errors: string[] = [];
	createInterface({ input: writer.stderr }).on('line', (line) => errors.push(line));
	const exited = new Promise((resolve) => writer.once('exit', resolve));
	await new Promise<void>((resolve) => {
		createInterface({ input: writer.stdout }).on('line', (line) => {
			const match = /^stored (\d+)$/.exec(line);
			if (match) stored = Number(match[1]);
			// Killed right after a compaction began or ended, and between writes.
			if (line === 'compacted' && ++seen === compactions) {
				writer.kill('SIGKILL');
				resolve();
			}
		});
		writer.once('exit', () => resolve());
	});
	await exited;
	expect(stored, errors.join('\n')).toBeGreaterThan(0);
	return stored;
}

describe('relay store and a killed process', () => {
	it('keeps every post reported stored, across kills during writes and compactions', async () => {
		const location = join(root, 'store');
		let highest = -1;
		for (const compactions of [2, 4, 8]) {
			highest = Math.max(highest, await writeUntilKilled(location, compactions));
			const store = await RelayStore.open(location, () => {});
			const doc = new Y.Doc();
			const { store: keeper, report } = await SpaceStore.attach(
				store.space('CCCCCCCCCCCCCCCC'),
				doc,
				{ origin: 'test', log: () => {} }
			);
			expect(report.dropped).toBe(0);
			const posts = doc.getMap('posts');
			const missing = Array.from({ length: highest + 1 }, (_, n) => n).filter(
				(n) => posts.get(`p${n}`) !== n
			);
			expect(missing).toEqual([]);
			await keeper.close();
			await store.close();
		}
	}, 60_000);
});
