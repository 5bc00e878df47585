// This device's changes that its log never got (docs/sync-protocol.md,
// "As built: v2 by default"). y-indexeddb writes a change at once; the
// batcher signs it into the log after a quiet moment (or when the page
// hides). A tab killed in between keeps the change in the doc but not in
// the log: peers would never get it, and every later entry of this device
// that refers to it would wait for it on every peer for ever. So on
// opening, what the doc holds under this device's earlier writer ids past
// what its log holds becomes an entry of its own, under the epoch that wrote
// it. Its delete set is the doc's deletions of this device's own items; a
// deletion of someone else's item in that last moment stays on this device.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { readUpdate } from '../../doc/update-reader';
import { isLegacyClient } from '../../domain/writers';
import { decodeCheckpoint } from './checkpoint';
import { clientId } from './client-id';
import { decodeEntry, EntryKind, type AuthorId, type Entry } from './entry';

export interface Unlogged {
	epoch: number;
	/** A Yjs update (v1) of the epoch's changes past its log. */
	update: Uint8Array;
}

/**
 * What `doc` holds under `author`'s writer epochs before `epoch` that its
 * own kept entries (`own`, encoded, in order) do not.
 */
export function unloggedChanges(
	doc: Y.Doc,
	author: AuthorId,
	epoch: number,
	own: readonly Uint8Array[]
): Unlogged[] {
	const writers = new Map<number, number>();
	for (let earlier = 1; earlier < epoch; earlier++) {
		const client = clientId(author, earlier);
		// Epochs whose ids fall in the legacy range were skipped, never written under.
		if (!isLegacyClient(client) && doc.store.clients.has(client)) writers.set(client, earlier);
	}
	if (writers.size === 0) return [];
	const entries = own.flatMap((bytes) => {
		const result = decodeEntry(bytes);
		return result.ok ? [result.entry] : [];
	});
	const gaps: { client: number; epoch: number; logged: number }[] = [];
	for (const [client, earlier] of writers) {
		const logged = loggedClock(entries, client, earlier);
		if (Y.getState(doc.store, client) > logged) gaps.push({ client, epoch: earlier, logged });
	}
	const ownIds = new Set(writers.keys());
	return gaps.flatMap(({ client, epoch, logged }, index) => {
		// The deletions go with the last, once every epoch's items are in entries
		// before them: a deletion of an item a later entry brings would wait for it.
		const update = changesFrom(doc, client, logged, index === gaps.length - 1 ? ownIds : null);
		return update ? [{ epoch, update }] : [];
	});
}

/** How far `client`'s changes reach in the log: its last entry of `epoch`, or a later checkpoint. */
function loggedClock(entries: Entry[], client: number, epoch: number): number {
	for (let i = entries.length - 1; i >= 0; i--) {
		const entry = entries[i]!;
		let update: Uint8Array | undefined;
		if (entry.kind === EntryKind.edit && entry.epoch === epoch) update = entry.body;
		if (entry.kind === EntryKind.checkpoint) {
			const checkpoint = decodeCheckpoint(entry.body);
			if (checkpoint?.epochs.includes(epoch)) update = checkpoint.update;
		}
		if (!update) continue;
		try {
			// An entry that only deleted holds no structs of the client: look further back.
			const end = Y.parseUpdateMeta(update).to.get(client);
			if (end !== undefined) return end;
		} catch {
			// Unreadable (it would not have been appended): look further back.
		}
	}
	return 0;
}

/** `client`'s structs from `clock` on, with the doc's deletions of items under `own` ids (none for null). */
function changesFrom(
	doc: Y.Doc,
	client: number,
	clock: number,
	own: Set<number> | null
): Uint8Array | null {
	const vector = new Map<number, number>();
	for (const other of doc.store.clients.keys())
		vector.set(other, other === client ? clock : Y.getState(doc.store, other));
	const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(vector));
	// Written by this app, so the strict reader reads it; were it not to, the
	// whole delete set goes (valid, only claiming others' deletions too).
	const read = readUpdate(update);
	// Written by this app, so the strict reader reads it; were it not to, the
	// whole delete set goes (valid, only claiming others' deletions too).
	if (!read) return update;
	const encoder = encoding.createEncoder();
	encoding.writeUint8Array(encoder, update.subarray(0, read.structsEnd));
	const deleted = own ? [...read.ds.clients].filter(([of]) => own.has(of)) : [];
	encoding.writeVarUint(encoder, deleted.length);
	for (const [of, ranges] of deleted) {
		encoding.writeVarUint(encoder, of);
		encoding.writeVarUint(encoder, ranges.length);
		for (const { clock: from, len } of ranges) {
			encoding.writeVarUint(encoder, from);
			encoding.writeVarUint(encoder, len);
		}
	}
	return encoding.toUint8Array(encoder);
}
