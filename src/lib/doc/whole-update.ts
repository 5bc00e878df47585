// Whether bytes from outside (a peer, a file, the relay's disk) are a whole
// Yjs update. Yjs applies an update as it reads it, so one cut short after
// its structs would leave those in the doc and fail only at its delete set:
// everything that applies outside bytes checks them whole first.
import * as Y from 'yjs';

export function isWholeUpdate(update: Uint8Array): boolean {
	try {
		Y.decodeUpdate(update);
		return true;
	} catch {
		return false;
	}
}
