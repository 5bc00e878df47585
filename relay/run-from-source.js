// Runs relay/main.ts straight from source through Vite's module runner, with
// the same arguments `npm run relay` takes, so tests can start a real relay
// process without building one first.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
process.argv = [process.argv[0] ?? 'node', entry, ...process.argv.slice(2)];
await runnerImport(entry, { configFile: false, logLevel: 'warn' });
