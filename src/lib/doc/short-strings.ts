// Short strings of a Yjs update, for the two readers of updates (the judge's
// update-reader.ts and the engine's quick-apply.ts): keys and short values
// read by hand where they are ASCII, without a TextDecoder call each, and
// one string kept for each key, which every record repeats.

/**
 * The text of `bytes` from `start` to `end` when every byte is ASCII (then
 * exactly what a TextDecoder makes of them); null when one is not.
 */
export function asciiAt(bytes: Uint8Array, start: number, end: number): string | null {
	let text = '';
	for (let at = start; at < end; at++) {
		const byte = bytes[at]!;
		if (byte >= 0x80) return null;
		text += String.fromCharCode(byte);
	}
	return text;
}

/** One string for each distinct key, for the first `size` keys met in one update. */
export class SharedKeys {
	readonly #keys = new Map<string, string>();
	constructor(readonly size = 256) {}

	share(text: string): string {
		const known = this.#keys.get(text);
		if (known !== undefined) return known;
		if (this.#keys.size < this.size) this.#keys.set(text, text);
		return text;
	}
}
