// The ENTRIES messages this device sent lately, kept as encoded, so the next
// link that needs the same range of the same log gets the same bytes: not
// encoded again, and (link-deflate.ts keeps its work by the message) not
// deflated again. A laptop serving a room of phones that join one after
// another, or a new edit pushed on to every link, makes each message once.
//
// A range of one author's log, ending at a signed head, never changes: logs
// are appended to, a checkpoint starts new ranges rather than changing old
// ones, and a log with two histories is stopped. The head's hash is in the
// key all the same. Bounded by bytes (each message counted with its key and
// what keeping it costs) and by count, per engine (per space), and what was
// not asked for within `keepMs` goes at the next `forget`. A message's
// deflated form (link-deflate.ts) is kept only while the message is, and is
// smaller: at most as much again.

export interface ServedPiecesLimits {
	/** Bytes of messages kept together, with their keys and KEEPING_BYTES each. */
	maxBytes: number;
	/** Messages kept at most. */
	maxCount: number;
	/** A message not sent again for this long is let go. */
	keepMs: number;
}

export const SERVED_PIECES_LIMITS: ServedPiecesLimits = {
	maxBytes: 16 * 1024 * 1024,
	maxCount: 256,
	keepMs: 60_000
};

/** What keeping one message costs beside its bytes and its key (the map's entry, the record). */
export const KEEPING_BYTES = 128;

const cost = (key: string, message: Uint8Array) => message.length + 2 * key.length + KEEPING_BYTES;

export class ServedPieces {
	readonly #limits: ServedPiecesLimits;
	/** Least recently sent first. */
	readonly #kept = new Map<string, { message: Uint8Array; at: number; cost: number }>();
	#bytes = 0;

	constructor(limits: Partial<ServedPiecesLimits> = {}) {
		this.#limits = { ...SERVED_PIECES_LIMITS, ...limits };
	}

	/** Bytes kept now. */
	get bytes(): number {
		return this.#bytes;
	}

	/** The message for `key`: the one kept, or what `encode` makes (kept when it fits). */
	message(key: string, now: number, encode: () => Uint8Array): Uint8Array {
		const kept = this.#kept.get(key);
		if (kept) {
			this.#kept.delete(key);
			kept.at = now;
			this.#kept.set(key, kept);
			return kept.message;
		}
		const message = encode();
		const bytes = cost(key, message);
		if (bytes > this.#limits.maxBytes) return message;
		this.#kept.set(key, { message, at: now, cost: bytes });
		this.#bytes += bytes;
		for (const [oldest, old] of this.#kept) {
			if (this.#bytes <= this.#limits.maxBytes && this.#kept.size <= this.#limits.maxCount) break;
			this.#kept.delete(oldest);
			this.#bytes -= old.cost;
		}
		return message;
	}

	/** Let go of what was not sent within `keepMs` of `now`. */
	forget(now: number): void {
		for (const [key, { at, cost }] of this.#kept) {
			if (now - at < this.#limits.keepMs) break;
			this.#kept.delete(key);
			this.#bytes -= cost;
		}
	}
}
