// A tiny helper for the state layer: a set of "something changed" callbacks
// that createSubscriber hands us, so several components can follow one source.
import { createSubscriber } from 'svelte/reactivity';

export function createNotifier(): { track: () => void; notify: () => void } {
	const updates = new Set<() => void>();
	const track = createSubscriber((update) => {
		updates.add(update);
		return () => updates.delete(update);
	});
	return {
		track,
		notify: () => {
			for (const update of updates) update();
		}
	};
}
