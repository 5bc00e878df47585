// One Yjs update (v1) cut into several of at most `maxBytes` each, which,
// applied in order, do what it does. A signed log entry holds at most
// 8 MiB, and a bulk import, a large paste or a big space from before signed
// logs can be more in one change.
//
// Structs are cut only between structs, copied byte for byte (version 1
// writes each struct on its own, with its full id), and put in an order in
// which everything a struct refers to — its left and right neighbours when
// it was inserted, and its parent — comes in the same piece or an earlier
// one: a peer holds a piece that refers to something it lacks, so a piece
// referring to a later one would wait for ever. Each client's structs keep
// their clock order. The delete set goes with the last piece.
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { ReadItem, readUpdate, type ReadGC } from './update-reader';

interface Struct {
	client: number;
	clock: number;
	length: number;
	/** Where its bytes are in the update. */
	start: number;
	end: number;
	/** What it refers to. */
	refers: Y.ID[];
}

/** Bytes a piece spends outside its structs: counts, client ids, clocks, its delete set's count. */
const HEADER_BYTES = 16;

/**
 * `update` as pieces of at most `maxBytes` (it whole when it fits), or null
 * when it cannot be cut so: one struct alone is larger, or the strict reader
 * cannot read it.
 */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] | null {
	if (update.length <= maxBytes) return [update];
	const bounds: number[] = [];
	const read = readUpdate(update, bounds);
	if (!read) return null;
	const queues = new Map<number, Struct[]>();
	for (const [index, struct] of read.structs.entries()) {
		const queue = queues.get(struct.id.client) ?? [];
		queue.push({
			client: struct.id.client,
			clock: struct.id.clock,
			length: struct.length,
			start: bounds[2 * index]!,
			end: bounds[2 * index + 1]!,
			refers: refersTo(struct)
		});
		queues.set(struct.id.client, queue);
	}
	const order = causalOrder(queues);
	if (!order) return null;
	const deleteSet = update.subarray(read.structsEnd);
	const pieces: Uint8Array[] = [];
	let piece: Struct[] = [];
	let bytes = HEADER_BYTES;
	for (const struct of order) {
		const size = struct.end - struct.start + HEADER_BYTES;
		if (size + HEADER_BYTES > maxBytes) return null;
		if (bytes + size > maxBytes) {
			pieces.push(encodePiece(update, piece, null));
			piece = [];
			bytes = HEADER_BYTES;
		}
		piece.push(struct);
		bytes += size;
	}
	// The delete set goes last, in a piece of its own when it does not fit beside the last structs.
	if (bytes + deleteSet.length > maxBytes) {
		if (HEADER_BYTES + deleteSet.length > maxBytes) return null;
		pieces.push(encodePiece(update, piece, null));
		piece = [];
	}
	pieces.push(encodePiece(update, piece, deleteSet));
	return pieces;
}

function refersTo(struct: ReadItem | ReadGC): Y.ID[] {
	if (!(struct instanceof ReadItem)) return [];
	const refers: Y.ID[] = [];
	if (struct.origin) refers.push(struct.origin);
	if (struct.rightOrigin) refers.push(struct.rightOrigin);
	if (struct.parent && typeof struct.parent !== 'string') refers.push(struct.parent);
	return refers;
}

/**
 * Every struct after what it refers to (where that is in the update at
 * all), each client's in clock order; null when no such order exists.
 */
function causalOrder(queues: Map<number, Struct[]>): Struct[] | null {
	const first = new Map<number, number>();
	for (const [client, queue] of queues) first.set(client, queue[0]!.clock);
	/** Per client, the clock up to which its structs are placed. */
	const placed = new Map(first);
	const isPlaced = (id: Y.ID): boolean => {
		const from = first.get(id.client);
		// Not in the update, or before it: the receiving doc has it already.
		if (from === undefined || id.clock < from) return true;
		return id.clock < placed.get(id.client)!;
	};
	const order: Struct[] = [];
	const heads = new Map<number, number>([...queues.keys()].map((client) => [client, 0]));
	while (heads.size > 0) {
		let moved = false;
		for (const [client, head] of heads) {
			const queue = queues.get(client)!;
			let at = head;
			while (at < queue.length) {
				const struct = queue[at]!;
				// A struct refers only to what came before it was made: its own
				// client's earlier clocks, or others'.
				if (!struct.refers.every(isPlaced)) break;
				order.push(struct);
				placed.set(client, struct.clock + struct.length);
				at += 1;
			}
			if (at === queue.length) heads.delete(client);
			else heads.set(client, at);
			if (at > head) moved = true;
		}
		if (!moved) return null;
	}
	return order;
}

/** One piece: its structs grouped by client (each group a run of clocks), then a delete set. */
function encodePiece(update: Uint8Array, structs: Struct[], deleteSet: Uint8Array | null) {
	const runs = new Map<number, Struct[]>();
	for (const struct of structs) {
		const run = runs.get(struct.client) ?? [];
		run.push(struct);
		runs.set(struct.client, run);
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, runs.size);
	for (const [client, run] of runs) {
		encoding.writeVarUint(encoder, run.length);
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, run[0]!.clock);
		for (const struct of run)
			encoding.writeUint8Array(encoder, update.subarray(struct.start, struct.end));
	}
	if (deleteSet) encoding.writeUint8Array(encoder, deleteSet);
	else encoding.writeVarUint(encoder, 0);
	return encoding.toUint8Array(encoder);
}
