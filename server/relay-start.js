#!/usr/bin/env node
// `npm run relay`: build the relay peer if there is no build yet, then run it
// with the same arguments.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'build-relay', 'main.js');
const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild');

if (rebuild || !existsSync(entry)) {
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(
		process.execPath,
		[vite, 'build', '--config', 'vite.relay.config.ts', '--logLevel', 'warn'],
		{ cwd: root, stdio: 'inherit' }
	);
	if (result.status !== 0) {
		console.error('Barnraise relay: the build failed; see the messages above.');
		process.exit(1);
	}
}
process.argv = [process.argv[0] ?? 'node', entry, ...args.filter((arg) => arg !== '--rebuild')];
await import(entry);
