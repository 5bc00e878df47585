// A relay started as its own Node process, for tests: its output kept line by
// line (stderr marked), a wait for a line it logs, and where its store is.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { vi } from 'vitest';

export interface RelayProcess {
	child: ChildProcessWithoutNullStreams;
	lines: string[];
	exited: Promise<number | null>;
	/** Wait until the relay has logged a line matching `pattern`. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Run `script` (the relay's entry point) with `args`, writing `stdin` to it when given. */
export function spawnRelay(script: string, args: string[], stdin?: string): RelayProcess {
	const child = spawn(process.execPath, [script, ...args]);
	const lines: string[] = [];
	createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
	createInterface({ input: child.stderr }).on('line', (line) => lines.push(`stderr: ${line}`));
	if (stdin !== undefined) child.stdin.end(stdin);
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	return {
		child,
		lines,
		exited,
		async waitFor(pattern, timeoutMs = 20_000) {
			await vi.waitFor(
				() => {
					if (!lines.some((line) => pattern.test(line)))
						throw new Error(`relay never logged ${pattern}; it logged:\n${lines.join('\n')}`);
				},
				{ timeout: timeoutMs, interval: 50 }
			);
		}
	};
}

/**
 * Whether a file of the relay's store holds `text`: a Yjs update keeps strings
 * as UTF-8, and LevelDB's write-ahead log keeps values as written.
 */
export function storedOnDisk(dataDir: string, text: string): boolean {
	const needle = Buffer.from(text, 'utf8');
	const store = join(dataDir, 'store');
	return readdirSync(store)
		.map((name) => join(store, name))
		.some((path) => statSync(path).isFile() && readFileSync(path).includes(needle));
}
