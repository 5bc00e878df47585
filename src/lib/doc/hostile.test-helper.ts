// Doc content a hostile (or badly broken) peer could send, built by hand as
// Yjs updates, for the tests that check every read and model survives it.
import * as Y from 'yjs';
import { ROOTS, type RootName } from './roots';

/**
 * An update putting, under `root`/`key`, Y.Maps nested `depth` deep (~60 KB
 * for 5,000), written by `clientID` (random unless given).
 */
export function deepNestingUpdate(
	root: RootName,
	key: string,
	depth = 5000,
	clientID?: number
): Uint8Array {
	const source = new Y.Doc();
	if (clientID !== undefined) source.clientID = clientID;
	source.transact(() => {
		let current = new Y.Map<unknown>();
		source.getMap(ROOTS[root]).set(key, current);
		// Nested one level at a time into an integrated map: no recursion anywhere.
		for (let level = 0; level < depth; level++) {
			const next = new Y.Map<unknown>();
			current.set('x', next);
			current = next;
		}
	});
	return Y.encodeStateAsUpdate(source);
}

/** Apply a hostile update as a peer's would arrive, whatever its content. */
export function receive(doc: Y.Doc, update: Uint8Array): void {
	Y.applyUpdate(doc, update, 'hostile-peer');
}

/** An update putting `count` junk keys (numbered, not ids) with small values under `root`. */
export function junkKeysUpdate(root: RootName, count = 100_000): Uint8Array {
	const source = new Y.Doc();
	source.transact(() => {
		const map = source.getMap(ROOTS[root]);
		for (let index = 0; index < count; index++) map.set(`junk ${index}`, index);
	});
	return Y.encodeStateAsUpdate(source);
}

/** A string of `length` characters (20 MB by default). */
export function hugeText(length = 20_000_000): string {
	return 'x'.repeat(length);
}
