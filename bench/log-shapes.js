// How the sync v2 benches shape a log: one author's Yjs updates merged into
// entries of about `bytes` each, as the batcher does after a bulk import.
import * as Y from 'yjs';

/** @param {Uint8Array[]} updates @param {number} bytes */
export function batchUpdates(updates, bytes) {
	/** @type {Uint8Array[]} */
	const batched = [];
	/** @type {Uint8Array[]} */
	let pending = [];
	let size = 0;
	for (const update of updates) {
		pending.push(update);
		size += update.length;
		if (size >= bytes) {
			batched.push(Y.mergeUpdates(pending));
			pending = [];
			size = 0;
		}
	}
	if (pending.length > 0) batched.push(Y.mergeUpdates(pending));
	return batched;
}
