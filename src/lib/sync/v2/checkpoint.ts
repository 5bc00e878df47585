// A checkpoint: one entry of an author's log that holds everything the
// author's entries before it held (docs/sync-protocol.md, "Storage and
// compaction"). A device compacts its own log by appending one; every device
// that applied it lets go of the entries below it, and a device that joins
// later is served the checkpoint instead of them.
//
// Its body is the epochs whose client ids the update writes under, then the
// entries' updates merged into a fresh doc and encoded again (`canonical`):
// what they deleted of their own is kept as a marker, as the doc keeps it,
// not as content. A device that holds those entries does the same with them
// and compares, whatever Yjs version the author used: both sides are made
// canonical here before they are compared.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { EntryKind, type Entry } from './entry';

/** More epochs than a device opens a space in years: a body claiming more is not honest. */
export const MAX_CHECKPOINT_EPOCHS = 100_000;

export interface Checkpoint {
	/** Writer epochs of the author whose derived client ids the update may use. */
	epochs: number[];
	/** Everything the replaced entries held, merged. */
	update: Uint8Array;
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, checkpoint.epochs.length);
	for (const epoch of checkpoint.epochs) encoding.writeVarUint(encoder, epoch);
	encoding.writeVarUint8Array(encoder, checkpoint.update);
	return encoding.toUint8Array(encoder);
}

/** Read a checkpoint's body as a peer sent it: never throws; null when it is not one. */
export function decodeCheckpoint(body: Uint8Array): Checkpoint | null {
	try {
		const decoder = decoding.createDecoder(body);
		const count = decoding.readVarUint(decoder);
		if (count > MAX_CHECKPOINT_EPOCHS || count > body.length) return null;
		const epochs: number[] = [];
		for (let i = 0; i < count; i++) {
			const epoch = decoding.readVarUint(decoder);
			if (!Number.isSafeInteger(epoch)) return null;
			epochs.push(epoch);
		}
		const length = decoding.readVarUint(decoder);
		if (length !== body.length - decoder.pos) return null;
		return { epochs, update: decoding.readUint8Array(decoder, length) };
	} catch {
		return null;
	}
}

/** What an entry holds, as a checkpoint would: its epoch and update, or an earlier checkpoint's. */
function contentOf(entry: Entry): Checkpoint | null {
	if (entry.kind === EntryKind.checkpoint) return decodeCheckpoint(entry.body);
	if (entry.kind === EntryKind.edit) return { epochs: [entry.epoch], update: entry.body };
	return null;
}

/**
 * The checkpoint that replaces `entries` (an author's log from its start or
 * from its latest checkpoint on, in order); null when one of them is of a
 * kind a checkpoint cannot hold or its update cannot be read.
 */
export function checkpointOf(entries: Entry[]): Checkpoint | null {
	const epochs = new Set<number>();
	const updates: Uint8Array[] = [];
	for (const entry of entries) {
		const content = contentOf(entry);
		if (!content) return null;
		for (const epoch of content.epochs) epochs.add(epoch);
		updates.push(content.update);
	}
	const update = canonical(Y.mergeUpdates(updates));
	return update && { epochs: [...epochs].sort((a, b) => a - b), update };
}

/**
 * An update applied to a fresh doc and encoded again: structs merged as Yjs
 * merges them, and deleted items whose place is known shrunk to markers (the
 * doc's garbage collection). Items whose parent or neighbours another author
 * wrote stay as they came (pending), so it depends on nothing but `update`.
 * Null when Yjs cannot read it.
 */
export function canonical(update: Uint8Array): Uint8Array | null {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, update);
		return Y.encodeStateAsUpdate(doc);
	} catch {
		return null;
	} finally {
		doc.destroy();
	}
}

/** Whether two updates hold the same structs and deletions, however each was merged. */
export function sameContent(a: Uint8Array, b: Uint8Array): boolean {
	const left = canonical(a);
	const right = canonical(b);
	if (!left || !right || left.length !== right.length) return false;
	for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
	return true;
}
