// Bundles of a sync v2 space (docs/sync-protocol.md, "Every transport carries
// the same logs"): what goes inside the encrypted bundle file (bundle.ts) is
// a list of signed ranges, each as the `ENTRIES` message a link would carry;
// a delta is the ranges another device's log vector (its state code) lacks.
// Importing hands the ranges to the engine as if a link had sent them, so
// they are verified, judged, kept and passed on like any others; a range
// that does not verify (altered after its device signed it) is refused and
// counted, and everything else in the bundle is still taken. Loaded only by
// dynamic import, like the rest of v2.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { BundleError } from '../bundle';
import type { EngineEvent, SyncEngine } from './engine';
import { decodeMessage, encodeMessage } from './messages';

/** A bundle holding more ranges than this was not made by an honest device. */
const MAX_RANGES = 1_000_000;

/** What importing needs of a space's sync v2 (SignedSync has it). */
export interface BundleTarget {
	engine: SyncEngine;
	listen(listener: (event: EngineEvent) => void): () => void;
	/** Log what was just changed here, so a bundle made now carries it. */
	flush(): Promise<void>;
}

/** The ranges this device holds past `lengths` (author key → length), as a bundle's contents. */
export function encodeLogBundle(engine: SyncEngine, lengths: ReadonlyMap<string, number>) {
	const ranges = engine.rangesAfter(lengths);
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, ranges.length);
	for (const range of ranges)
		encoding.writeVarUint8Array(encoder, encodeMessage({ type: 'entries', ...range }));
	return encoding.toUint8Array(encoder);
}

/** The messages of a bundle's contents; BundleError('damaged') when they cannot be read. */
function readRanges(body: Uint8Array): Uint8Array[] {
	try {
		const decoder = decoding.createDecoder(body);
		const count = decoding.readVarUint(decoder);
		if (count > MAX_RANGES) throw new Error('too many ranges');
		const messages: Uint8Array[] = [];
		for (let i = 0; i < count; i++) messages.push(decoding.readVarUint8Array(decoder));
		if (decoding.hasContent(decoder)) throw new Error('bytes after the last range');
		// Each must be a range: anything else is not what a bundle holds.
		for (const message of messages) {
			const read = decodeMessage(message);
			if (!read.ok || read.message.type !== 'entries') throw new Error('not a range');
		}
		return messages;
	} catch {
		throw new BundleError('damaged');
	}
}

let bundles = 0;

/**
 * Give the engine a bundle's ranges as from a link of its own. Returns
 * whether this device now holds more, and how many ranges were refused
 * because they do not verify (rule refusals are the engine's, shown like any).
 */
export function importLogBundle(
	target: BundleTarget,
	body: Uint8Array
): { changed: boolean; refused: number } {
	const messages = readRanges(body);
	const id = `bundle-${++bundles}`;
	const held = () => target.engine.vector().reduce((sum, tip) => sum + tip.length, 0);
	const before = held();
	let refused = 0;
	const stop = target.listen((event) => {
		if (event.type === 'misbehaved' && event.link === id) refused += 1;
	});
	// What the engine says to this link (its hello, its asks) goes nowhere: a file does not answer.
	target.engine.addLink({ id, send: () => {} });
	try {
		for (const message of messages) target.engine.receive(id, message);
	} finally {
		target.engine.removeLink(id);
		stop();
	}
	return { changed: held() > before, refused };
}
