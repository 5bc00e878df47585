// For state tests: follow a reactive read in an effect, as a view would,
// and keep what each run saw.
import { flushSync } from 'svelte';

export function follow<T>(read: () => T): { seen: T[]; stop: () => void } {
	const seen: T[] = [];
	const stop = $effect.root(() => {
		$effect(() => {
			seen.push(read());
		});
	});
	flushSync();
	return { seen, stop };
}
