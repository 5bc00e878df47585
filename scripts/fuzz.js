// Runs the multi-peer fuzz (src/lib/sync/fuzz.test-helper.ts) for many
// scenarios, each from its own seed, going on past failures; prints how many
// ran, how long it took and the seed and shrunk actions of each failure.
// The live models ride along every peer, so this checks the doc layer and
// the state models at once.
//
//   npm run fuzz -- --runs 10000 [--seed N]     (one seed again: --runs 1 --seed N)
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};
const runs = Number(option('runs', '10000'));
const seed = option('seed', String(Date.now() % 1_000_000_000));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(Number(seed))) {
	console.error('Usage: npm run fuzz -- [--runs N] [--seed S]');
	process.exit(2);
}

const child = spawn(
	'npx',
	['vitest', 'run', '--reporter=dot', 'src/lib/state/convergence.svelte.test.ts', '-t', 'random'],
	{
		stdio: 'inherit',
		env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed, FUZZ_SWEEP: '1' }
	}
);
child.on('exit', (code) => process.exit(code ?? 1));
