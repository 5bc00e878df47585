// The one place that puts handles on globalThis, for debugging in the
// console, the browser tests and the benchmarks: the open space's model
// (`barnraise`), Yjs (`barnraiseYjs`) and the doc's root names
// (`barnraiseRoots`). They are there in every build on purpose: they show
// nothing a person holding the unlocked device could not read anyway, and
// the tests must drive the same build that users get.
import * as Y from 'yjs';
import { ROOTS } from '../doc/roots';
import type { Space } from './space.svelte';

interface Handles {
	barnraise?: Space;
	barnraiseYjs?: typeof Y;
	barnraiseRoots?: typeof ROOTS;
}

/** Expose `space`; the returned function takes the handles away again (if still its own). */
export function exposeForDebugging(space: Space): () => void {
	const handles = globalThis as Handles;
	handles.barnraise = space;
	handles.barnraiseYjs = Y;
	handles.barnraiseRoots = ROOTS;
	return () => {
		if (handles.barnraise === space) delete handles.barnraise;
	};
}
