// The multi-peer fuzz (fuzz.test-helper.ts) over the doc layer, in the unit
// suite: a few hundred seeded scenarios, each ending with every peer holding
// the same doc and deriving the same views. The live models ride along in
// state/convergence.svelte.test.ts, with the scenarios it once failed on.
// Many more, or one seed again: `npm run fuzz -- --runs N --seed S`.
import { describe, expect, it } from 'vitest';
import { fuzzScenarios, fuzzSettings } from './fuzz.test-helper';

const settings = fuzzSettings(250);

describe('peers editing, partitioned, restarted and attacked', () => {
	it(
		`end with the same doc and the same views, in ${settings.runs} random scenarios`,
		async () => {
			// Failed: the seed, the shrunk actions and what differed, as they are (not escaped).
			const failure = await fuzzScenarios(settings);
			if (failure !== null) expect.fail(failure);
		},
		settings.timeout
	);
});
