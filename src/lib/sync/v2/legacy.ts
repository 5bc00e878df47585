// Migrating a space made before signed logs (docs/sync-protocol.md,
// "Migrating spaces made before v2" and "As built: slice 6"): what a device
// held of it before v2 becomes one `legacy` entry of its own signed log —
// `Y.encodeStateAsUpdate` of the old doc, which says itself which state it
// covers — and the space's schema version goes to 2, so an app that knows
// only version 1 refuses to write into it. Each device that held the space
// imports all it held; Yjs drops what two imports share. What it never does:
// import anything a signed log wrote, or import what peers would refuse.
//
// Before signatures a hostile device could change or delete a supply ledger
// entry, and every device kept it; peers refuse that in any import, so the
// space could never move. Such content is mended before it is imported
// (`repair`), keeping what the device shows: an entry's value as it stands
// becomes its first write, and what a doc no longer shows anyway (deleted
// values, collected by Yjs) becomes collected content. Only when the
// mended content would read differently (a struct too large for any entry;
// a doc that kept deleted content) is the device's own doc rebuilt from it
// (`repaired`, session.ts), so it shows what its peers will.
import * as binary from 'lib0/binary';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { metaMap } from '../../doc/space-doc';
import { ORIGINS, ROOTS } from '../../doc/roots';
import { readUpdate } from '../../doc/update-reader';
import { splitUpdate } from '../../doc/split-update';
import { judgeUpdate, legacyOffences, type ClockRange } from '../../doc/update-rules';
import { isLegacyClient } from '../../domain/writers';
import { SIGNED_SCHEMA_VERSION } from '../../domain/versions';
import { MAX_ENTRY_BODY_BYTES } from './entry';

export type LegacyContent =
	/**
	 * `repaired`: how many records read differently once it is mended so
	 * that peers accept it (see repair); when more than none, the doc must be
	 * rebuilt from `update` before it is imported, so it shows what peers will.
	 */
	| {
			ok: true;
			update: Uint8Array;
			/** `update` cut into entries, in the order they go into the log. */
			pieces: Uint8Array[];
			repaired: number;
	  }
	/** Something in the old doc that leaving parts out cannot mend (a form no app writes). */
	| { ok: false; problem: string };

/** A struct larger than this cannot go into any entry, even alone (split-update.ts adds headers). */
const MAX_STRUCT_BYTES = MAX_ENTRY_BODY_BYTES - 64;

/**
 * The content of `doc` from before signed logs, as one update, judged the way
 * peers will judge it, and mended where peers would refuse a ledger change.
 * Only a doc that holds nothing a signed log wrote can be imported: signed
 * content travels in its author's log, never as legacy. With `checkSettles`,
 * content whose mending changes what the doc shows is checked to need no
 * more once a doc is rebuilt from it (so a rebuild is never asked for twice).
 */
export function legacyContent(doc: Y.Doc, checkSettles = true): LegacyContent {
	if (holdsSignedContent(doc))
		return { ok: false, problem: 'it holds signed content but no signed logs' };
	const update = withoutPending(doc);
	// Self-contained (a whole doc refers only to itself), so an empty doc judges it as any peer does.
	const judgement = judgeUpdate(new Y.Doc(), update, 'legacy');
	// Accepted and cut into entries as it is; else a struct too large for any
	// entry, or a refused change, is mended below.
	const whole = judgement.verdict === 'accept' && splitUpdate(update, MAX_ENTRY_BODY_BYTES);
	if (whole) return { ok: true, update, pieces: whole, repaired: 0 };
	const mended = repair(update);
	if (!mended) {
		const problem =
			judgement.verdict === 'accept'
				? // Over one entry, and in forms the strict reading gives up on.
					'it cannot be cut into entries'
				: judgement.verdict === 'hold'
					? 'it refers to content it lacks'
					: judgement.reason;
		return { ok: false, problem };
	}
	const again = judgeUpdate(new Y.Doc(), mended.update, 'legacy');
	if (again.verdict !== 'accept')
		return {
			ok: false,
			problem: again.verdict === 'refuse' ? again.reason : 'it refers to content it lacks'
		};
	const pieces = splitUpdate(mended.update, MAX_ENTRY_BODY_BYTES);
	if (!pieces) return { ok: false, problem: 'it cannot be cut into entries' };
	const repaired = changedRecords(doc, mended.update);
	// Rebuilt from it, a doc must hold nothing left to mend: else nothing is written at all.
	if (repaired > 0 && checkSettles && !settles(mended.update))
		return { ok: false, problem: 'mending it does not settle it' };
	return { ok: true, update: mended.update, pieces, repaired };
}

/** Whether a doc rebuilt from `update` would be imported as it is, with nothing more to mend. */
function settles(update: Uint8Array): boolean {
	const rebuilt = new Y.Doc();
	Y.applyUpdate(rebuilt, update);
	const again = legacyContent(rebuilt, false);
	rebuilt.destroy();
	return again.ok && again.repaired === 0;
}

/** How many records (in any root) read differently in `update` than in `doc`. */
function changedRecords(doc: Y.Doc, update: Uint8Array): number {
	const mended = new Y.Doc();
	Y.applyUpdate(mended, update);
	let changed = 0;
	for (const root of Object.values(ROOTS)) {
		const before = doc.getMap(root).toJSON();
		const after = mended.getMap(root).toJSON();
		for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
			if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed += 1;
	}
	mended.destroy();
	return changed;
}

/**
 * The doc's state without what it still waits for (structs and deletions
 * whose predecessors never arrived): nothing can ever bring those under
 * signed logs, and an import holding them would wait on every peer for ever.
 */
function withoutPending(doc: Y.Doc): Uint8Array {
	const { pendingStructs, pendingDs } = doc.store;
	doc.store.pendingStructs = null;
	doc.store.pendingDs = null;
	try {
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.store.pendingStructs = pendingStructs;
		doc.store.pendingDs = pendingDs;
	}
}

/**
 * `update` mended so that peers accept it, with what this device shows kept
 * wherever it can be: a value written over a ledger entry's earlier one
 * stands in for it as the entry's first write (the earlier value is gone
 * from a doc that collects deleted content, as the app's do); every other
 * struct that changed an entry (a deleted value, anything put inside an
 * entry) and every struct too large for an entry becomes collected content
 * (a GC struct of the same id and length, so clocks stay whole); and a
 * deletion of an entry's first write is left out. Null when it cannot be
 * read strictly or holds other offences.
 */
function repair(update: Uint8Array): { update: Uint8Array } | null {
	const offences = legacyOffences(update);
	const bounds: number[] = [];
	const read = readUpdate(update, bounds);
	if (!offences || !read) return null;
	const changed = new Map(
		offences.changed.map((struct) => [`${struct.client}:${struct.clock}`, struct])
	);
	const encoder = encoding.createEncoder();
	let copied = 0;
	for (const [index, struct] of read.structs.entries()) {
		const start = bounds[2 * index]!;
		const end = bounds[2 * index + 1]!;
		const change = changed.get(`${struct.id.client}:${struct.id.clock}`);
		const oversized = end - start > MAX_STRUCT_BYTES;
		if (!change && !oversized) continue;
		// Everything up to this struct as it was, then the struct mended.
		encoding.writeUint8Array(encoder, update.subarray(copied, start));
		if (!oversized && change?.overwrote != null)
			writeAsFirstWrite(encoder, update.subarray(start, end), change.overwrote);
		else {
			encoding.writeUint8(encoder, 0);
			encoding.writeVarUint(encoder, struct.length);
		}
		copied = end;
	}
	encoding.writeUint8Array(encoder, update.subarray(copied, read.structsEnd));
	const kept = new Map<number, ClockRange[]>();
	for (const [client, ranges] of read.ds.clients)
		kept.set(
			client,
			ranges.map(({ clock, len }) => ({ client, clock, len }))
		);
	// An entry's first write stays: its deletion goes (a changed struct's deletion may stay).
	for (const spared of offences.deleted) {
		const ranges = kept.get(spared.client);
		if (ranges && !changed.has(`${spared.client}:${spared.clock}`))
			kept.set(
				spared.client,
				ranges.flatMap((range) => subtract(range, spared))
			);
	}
	const clients = [...kept].filter(([, ranges]) => ranges.length > 0);
	encoding.writeVarUint(encoder, clients.length);
	for (const [client, ranges] of clients) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, ranges.length);
		for (const { clock, len } of ranges) {
			encoding.writeVarUint(encoder, clock);
			encoding.writeVarUint(encoder, len);
		}
	}
	return { update: encoding.toUint8Array(encoder) };
}

/**
 * An item (v1 bytes) that sits beside an earlier value in a ledger map,
 * written again as a value set into the ledger's root map under `key` with
 * no neighbours: the same id, length and content.
 */
function writeAsFirstWrite(encoder: encoding.Encoder, item: Uint8Array, key: string): void {
	const decoder = decoding.createDecoder(item);
	const info = decoding.readUint8(decoder);
	// Its neighbours' ids (an item with neighbours takes its parent from them).
	const ids = (info & binary.BIT8 ? 1 : 0) + (info & binary.BIT7 ? 1 : 0);
	for (let number = 0; number < 2 * ids; number++) decoding.readVarUint(decoder);
	encoding.writeUint8(encoder, (info & ~(binary.BIT7 | binary.BIT8)) | binary.BIT6);
	// Parent: a root, by name; then the key in it; then the content as it was.
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarString(encoder, ROOTS.entries);
	encoding.writeVarString(encoder, key);
	encoding.writeUint8Array(encoder, item.subarray(decoder.pos));
}

/** What of `range` lies outside `hole` (both of one client): none, one or two ranges. */
function subtract(range: ClockRange, hole: ClockRange): ClockRange[] {
	const end = range.clock + range.len;
	const holeEnd = hole.clock + hole.len;
	if (holeEnd <= range.clock || hole.clock >= end) return [range];
	const parts: ClockRange[] = [];
	if (hole.clock > range.clock) parts.push({ ...range, len: hole.clock - range.clock });
	if (holeEnd < end) parts.push({ ...range, clock: holeEnd, len: end - holeEnd });
	return parts;
}

/** Whether anything in `doc` was written under a signed log's client id. */
export function holdsSignedContent(doc: Y.Doc): boolean {
	for (const client of doc.store.clients.keys()) if (!isLegacyClient(client)) return true;
	return false;
}

/**
 * Raise the space's schema version to 2 (after the import, as this device's
 * own signed change), so apps that know only version 1 write nothing into it.
 */
export function markSigned(doc: Y.Doc): void {
	const meta = metaMap(doc);
	const version = meta.get('schemaVersion');
	// A space still arriving has no version yet: its maker's log brings one.
	if (typeof version !== 'number' || version >= SIGNED_SCHEMA_VERSION) return;
	doc.transact(() => meta.set('schemaVersion', SIGNED_SCHEMA_VERSION), ORIGINS.local);
}
