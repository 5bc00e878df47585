// Runs v2-mesh-peer.ts from source through Vite's module runner, like the relay's run-from-source.js.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./v2-mesh-peer.ts', import.meta.url));
process.argv = [process.argv[0] ?? 'node', entry, ...process.argv.slice(2)];
await runnerImport(entry, { configFile: false, logLevel: 'warn' });
