// Applying a Yjs update (format v1) exactly as `Y.applyUpdate` does, with
// its strings read faster. Yjs reads every string of a v1 update — each
// key, each field's value — with its own TextDecoder call on its own
// subarray; a join of 20,000 posts has some 300,000 short strings, and its
// apply took about 0.4 s this way against 0.5 s. Yjs lets the decoder be chosen
// (`applyUpdateV2`'s last argument): this one reads a short ASCII string by
// hand, makes a string met again only once, and leaves everything else to
// Yjs and lib0. ASCII bytes are exactly what the TextDecoder would make of
// them, so the doc comes out the same.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { ShortStrings } from './short-strings';

/** Strings up to this many bytes are tried by hand; longer ones gain nothing. */
const SHORT = 64;

const STRING = 119; // lib0's tag for a string in `writeAny`

/**
 * Keys and short values: a field name every record repeats is made once.
 * One table for every update applied (each string found is checked against
 * the bytes, so sharing it is safe).
 */
const strings = new ShortStrings();

class QuickDecoderV1 extends Y.UpdateDecoderV1 {
	/** lib0's readVarString, reading short ASCII by hand; anything else is lib0's to read. */
	#readString(): string {
		const decoder = this.restDecoder;
		const start = decoder.pos;
		const length = decoding.readVarUint(decoder);
		const { arr, pos } = decoder;
		const end = pos + length;
		// Past the end: refused, where lib0 refuses it.
		if (end > arr.length) throw new RangeError('string past the end of the update');
		const text = length <= SHORT ? strings.read(arr, pos, end) : null;
		if (text !== null) {
			decoder.pos = end;
			return text;
		}
		decoder.pos = start;
		return decoding.readVarString(decoder);
	}

	/** A key or a root's name. */
	override readString(): string {
		return this.#readString();
	}

	override readKey(): string {
		return this.#readString();
	}

	/** A value: a string read here, anything else by lib0. */
	override readAny(): unknown {
		const decoder = this.restDecoder;
		if (decoder.arr[decoder.pos] !== STRING) return decoding.readAny(decoder);
		decoder.pos += 1;
		return this.#readString();
	}
}

/** `Y.applyUpdate(doc, update, origin)`, reading strings faster. */
export function applyUpdateQuickly(doc: Y.Doc, update: Uint8Array, origin?: unknown): void {
	Y.applyUpdateV2(doc, update, origin, QuickDecoderV1);
}
