// Short strings of a Yjs update, for the two readers of updates (the judge's
// update-reader.ts and the engine's quick-apply.ts): keys and short values
// read by hand where they are ASCII, without a TextDecoder call each, and
// a string met again (a field name, which every record repeats; a kind or a
// status) given back as the one already made, without making it again.
//
// Made strings are kept in a small table by a hash of their bytes. A string
// found there is compared byte for byte before it is given back, so a
// collision (chance, or a member's crafted update) only costs making the
// string anew, as without the table.

/** Character codes of the string being made (one array, reused). */
const codes: number[] = [];

/**
 * The text of `bytes` from `start` to `end`, every byte ASCII (then exactly
 * what a TextDecoder makes of them). Made in one piece: adding a character at
 * a time would make V8 keep a string of 13 or more as a chain of pieces, some
 * 900 bytes for 40 characters where the string itself takes 60, for as long
 * as the doc keeps the value.
 */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
	const length = end - start;
	codes.length = length;
	for (let i = 0; i < length; i++) codes[i] = bytes[start + i]!;
	return String.fromCharCode.apply(null, codes);
}

/** Short ASCII strings read from bytes; the same text read again is the same string. */
export class ShortStrings {
	readonly #slots: (string | null)[];
	readonly #mask: number;

	/** `slots`: how many strings are kept, a power of two. */
	constructor(slots = 512) {
		if (slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError('slots: a power of two');
		this.#slots = new Array<string | null>(slots).fill(null);
		this.#mask = slots - 1;
	}

	/**
	 * The text of `bytes` from `start` to `end` when every byte is ASCII (then
	 * exactly what a TextDecoder makes of them); null when one is not.
	 */
	read(bytes: Uint8Array, start: number, end: number): string | null {
		let hash = end - start;
		for (let at = start; at < end; at++) {
			const byte = bytes[at]!;
			if (byte >= 0x80) return null;
			hash = (Math.imul(hash, 31) + byte) | 0;
		}
		const slot = hash & this.#mask;
		const kept = this.#slots[slot];
		if (kept !== null && kept !== undefined && sameText(kept, bytes, start, end)) return kept;
		const text = asciiText(bytes, start, end);
		this.#slots[slot] = text;
		return text;
	}
}

/** Whether ASCII `text` is exactly the bytes from `start` to `end`. */
function sameText(text: string, bytes: Uint8Array, start: number, end: number): boolean {
	if (text.length !== end - start) return false;
	for (let at = 0; at < text.length; at++)
		if (text.charCodeAt(at) !== bytes[start + at]) return false;
	return true;
}
