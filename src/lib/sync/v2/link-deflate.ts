// Compression on a link, where it pays (docs/sync-protocol.md, "Messages";
// #14, "Fast joins"). A join moves the space's log, and Yjs updates of posts
// and ledger entries deflate about 6–7×: on a phone's Wi-Fi the bytes are
// the join's cost, and even on loopback the raw channel takes longer to move
// them than Yjs takes to apply them.
//
// Each side first says it inflates (one byte). From then on, the other side
// sends an engine message of DEFLATE_MIN_BYTES or more deflated (deflate-raw,
// the platform's CompressionStream) when that makes it smaller, and in the
// order the engine sent it. A device that never hears the offer (a version
// before this) gets every message as it was.
//
// A deflated frame is untrusted: inflating stops past MAX_RATIO times its
// size (a sender never deflates what shrinks more than that; it sends it as
// it is), and past the largest message the engine takes. A frame that breaks
// either, or does not inflate, is dropped and reported, and the link goes on.
import { deflateRaw, inflateRaw } from '../compression';
import { MAX_ENTRY_BYTES, type EntryHash } from './entry';

/** First bytes of link frames: engine messages start with their type (1–15). */
export const LinkFrame = { inflates: 0xf0, deflated: 0xf1 } as const;

/** Messages smaller than this go as they are: deflating them saves little. */
export const DEFLATE_MIN_BYTES = 1024;
/** The most a deflated frame may grow by; a sender sends better-compressing messages raw. */
export const MAX_RATIO = 32;
/** The largest message inflated: a range holding one entry of the largest size, and room. */
export const MAX_INFLATED_BYTES = MAX_ENTRY_BYTES + 2 * 1024 * 1024;

/** Bytes read at each of three places to tell a message that will not shrink. */
const SAMPLE_BYTES = 16 * 1024;
/**
 * Bits of information per byte above which a sample is taken to be
 * incompressible: a photo or random bytes measure about 7.99, a Yjs update
 * of posts or ledger entries about 5–6.
 */
const INCOMPRESSIBLE_BITS = 7.6;

/** Shannon entropy of `bytes`, in bits per byte. */
function bitsPerByte(bytes: Uint8Array): number {
	const counts = new Uint32Array(256);
	for (const byte of bytes) counts[byte]! += 1;
	let bits = 0;
	for (const count of counts)
		if (count > 0) {
			const p = count / bytes.length;
			bits -= p * Math.log2(p);
		}
	return bits;
}

/**
 * Whether deflating `message` would be time spent for nothing: its start,
 * middle and end all look like a picture does. A message of posts with a
 * picture in it still deflates. Small messages are always tried.
 */
export function looksIncompressible(message: Uint8Array): boolean {
	if (message.length < 4 * SAMPLE_BYTES) return false;
	const starts = [0, (message.length - SAMPLE_BYTES) >> 1, message.length - SAMPLE_BYTES];
	return starts.every(
		(start) => bitsPerByte(message.subarray(start, start + SAMPLE_BYTES)) > INCOMPRESSIBLE_BITS
	);
}

export interface DeflatingLinkOptions {
	/** Put a frame on the link (its transport frames it further). */
	send(frame: Uint8Array): void;
	/** Hand an engine message to the engine, with its entries' hashes where `prehash` made them. */
	deliver(message: Uint8Array, hashes?: EntryHash[]): void;
	/**
	 * Hash a message's entries while it waits its turn (prehash.ts): undefined
	 * for a message that has none to hash, which then goes on at once.
	 */
	prehash?(message: Uint8Array): Promise<EntryHash[] | undefined> | undefined;
	/** A frame was dropped: why (for the links list, the relay's log). */
	onProblem?(detail: string): void;
}

/** Steps run in the order given: one given while an earlier one still waits runs after it. */
class InOrder {
	#tail: Promise<void> = Promise.resolve();
	#waiting = 0;

	/** Run `step` now, or after the steps given before it if any still wait. */
	now(step: () => void): void {
		if (this.#waiting === 0) step();
		else this.after(step);
	}

	/**
	 * Run `step` (which may wait itself) once the steps given before it are
	 * done; resolves when it is (never rejects).
	 */
	after(step: () => void | Promise<void>): Promise<void> {
		this.#waiting += 1;
		this.#tail = this.#tail
			.then(step)
			.catch(() => {})
			.finally(() => {
				this.#waiting -= 1;
			});
		return this.#tail;
	}
}

/** A deflated frame's message once inflated, and its entries' hashes on the way (prehash). */
interface Inflated {
	message: Uint8Array;
	hashing: Promise<EntryHash[] | undefined> | undefined;
}

/**
 * Deflated forms by the message they were made of, for every link of this
 * device: the engine hands each link that needs one range the same message
 * (served-pieces.ts), which is then deflated once. Kept only while the
 * message is.
 */
const deflatedOf = new WeakMap<Uint8Array, Promise<Uint8Array | null>>();

/** `message` deflated (null when it could not be), made once per message. */
function deflateOnce(message: Uint8Array): Promise<Uint8Array | null> {
	let deflated = deflatedOf.get(message);
	if (!deflated) {
		deflated = deflateRaw(message).catch(() => null);
		deflatedOf.set(message, deflated);
	}
	return deflated;
}

export class DeflatingLink {
	readonly #options: DeflatingLinkOptions;
	#peerInflates = false;
	#closed = false;
	/** Frames leave in the order the engine sent them, deflated ones included. */
	readonly #sends = new InOrder();
	/** Messages reach the engine in the order their frames came, inflated ones included. */
	readonly #receives = new InOrder();
	/**
	 * Deflated frames are inflated one at a time, ahead of their turn: the next
	 * inflates (and its entries are hashed) while the engine applies the one
	 * before. `#deliveredDeflated` says when the last two deflated messages
	 * are delivered; the next inflates only after the older of them, so at
	 * most two inflated messages wait at once.
	 */
	readonly #inflates = new InOrder();
	#deliveredDeflated: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];

	constructor(options: DeflatingLinkOptions) {
		this.#options = options;
		// Before anything else, so the peer may deflate from its first reply on.
		this.#put(Uint8Array.of(LinkFrame.inflates));
	}

	/** Send an engine message. */
	send(message: Uint8Array): void {
		if (this.#closed) return;
		// Past what a receiver inflates, a message goes as it is (the chunked channel carries it).
		// A picture is sent at once: deflating it would only delay it.
		if (
			!this.#peerInflates ||
			message.length < DEFLATE_MIN_BYTES ||
			message.length > MAX_INFLATED_BYTES ||
			looksIncompressible(message)
		)
			return this.#sends.now(() => this.#put(message));
		// Deflated in turn, not beside the others: deflating runs on this
		// thread, so messages deflated together would all be ready only at
		// the end, and a join would wait for the last before its first left.
		// One at a time, the first is on its way while the next deflates.
		void this.#sends.after(async () => {
			// A link closed mid-join drops what waits: no deflating it first.
			if (this.#closed) return;
			const deflated = await deflateOnce(message);
			if (
				!deflated ||
				deflated.length >= message.length ||
				deflated.length * MAX_RATIO < message.length
			)
				return this.#put(message);
			const frame = new Uint8Array(deflated.length + 1);
			frame[0] = LinkFrame.deflated;
			frame.set(deflated, 1);
			this.#put(frame);
		});
	}

	/** A frame from the link. */
	receive(frame: Uint8Array): void {
		if (this.#closed) return;
		if (frame[0] === LinkFrame.inflates && frame.length === 1) {
			this.#peerInflates = true;
			return;
		}
		if (frame[0] !== LinkFrame.deflated) {
			const hashing = this.#options.prehash?.(frame);
			if (!hashing) return this.#receives.now(() => this.#deliver(frame));
			void this.#receives.after(async () => this.#deliver(frame, await hashing));
			return;
		}
		const deflated = frame.subarray(1);
		const limit = Math.min(MAX_INFLATED_BYTES, deflated.length * MAX_RATIO);
		// Inflated once the message two before it is delivered: a peer's frames
		// cost at most two inflated messages' memory at once.
		const [twoBack, oneBack] = this.#deliveredDeflated;
		let inflated: Inflated | null = null;
		const ready = this.#inflates.after(async () => {
			await twoBack;
			if (this.#closed) return;
			try {
				const message = await inflateRaw(deflated, limit);
				inflated = { message, hashing: this.#options.prehash?.(message) };
			} catch (error) {
				this.#options.onProblem?.(
					`dropped a deflated message: ${error instanceof Error ? error.message : String(error)}`
				);
			}
		});
		// Delivered in the order its frame came, among the others.
		const delivered = this.#receives.after(async () => {
			await ready;
			const done = inflated as Inflated | null;
			if (done) this.#deliver(done.message, await done.hashing);
		});
		this.#deliveredDeflated = [oneBack, delivered];
	}

	/** The link closed: nothing more is sent or delivered. */
	close(): void {
		this.#closed = true;
	}

	#deliver(message: Uint8Array, hashes?: EntryHash[]): void {
		if (this.#closed) return;
		try {
			this.#options.deliver(message, hashes);
		} catch {
			// The engine never throws on a message; if it did, the next one still comes.
		}
	}

	#put(frame: Uint8Array): void {
		if (this.#closed) return;
		try {
			this.#options.send(frame);
		} catch {
			// A link that cannot send is closing; its transport removes it.
		}
	}
}
