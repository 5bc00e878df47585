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
import { MAX_ENTRY_BYTES } from './entry';

/** First bytes of link frames: engine messages start with their type (1–15). */
export const LinkFrame = { inflates: 0xf0, deflated: 0xf1 } as const;

/** Messages smaller than this go as they are: deflating them saves little. */
export const DEFLATE_MIN_BYTES = 1024;
/** The most a deflated frame may grow by; a sender sends better-compressing messages raw. */
export const MAX_RATIO = 32;
/** The largest message inflated: a range holding one entry of the largest size, and room. */
export const MAX_INFLATED_BYTES = MAX_ENTRY_BYTES + 2 * 1024 * 1024;

export interface DeflatingLinkOptions {
	/** Put a frame on the link (its transport frames it further). */
	send(frame: Uint8Array): void;
	/** Hand an engine message to the engine. */
	deliver(message: Uint8Array): void;
	/** A frame was dropped: why (for the links list, the relay's log). */
	onProblem?(detail: string): void;
}

export class DeflatingLink {
	readonly #options: DeflatingLinkOptions;
	#peerInflates = false;
	#closed = false;
	/** Sends in flight (deflating): later ones wait their turn behind them. */
	#sending: Promise<void> = Promise.resolve();
	#sendsPending = 0;
	/** Frames being inflated: later ones are delivered after them. */
	#receiving: Promise<void> = Promise.resolve();
	#receivesPending = 0;

	constructor(options: DeflatingLinkOptions) {
		this.#options = options;
		// Before anything else, so the peer may deflate from its first reply on.
		this.#put(Uint8Array.of(LinkFrame.inflates));
	}

	/** Send an engine message. */
	send(message: Uint8Array): void {
		if (this.#closed) return;
		// Past what a receiver inflates, a message goes as it is (the chunked channel carries it).
		if (
			!this.#peerInflates ||
			message.length < DEFLATE_MIN_BYTES ||
			message.length > MAX_INFLATED_BYTES
		) {
			if (this.#sendsPending === 0) return this.#put(message);
			this.#sendsPending += 1;
			this.#sending = this.#sending.then(() => {
				this.#sendsPending -= 1;
				this.#put(message);
			});
			return;
		}
		// Deflating starts now, beside earlier ones; frames leave in order.
		const deflating = deflateRaw(message).catch(() => null);
		this.#sendsPending += 1;
		this.#sending = this.#sending.then(async () => {
			const deflated = await deflating;
			this.#sendsPending -= 1;
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
			if (this.#receivesPending === 0) return this.#deliver(frame);
			this.#receivesPending += 1;
			this.#receiving = this.#receiving.then(() => {
				this.#receivesPending -= 1;
				this.#deliver(frame);
			});
			return;
		}
		const deflated = frame.subarray(1);
		const limit = Math.min(MAX_INFLATED_BYTES, deflated.length * MAX_RATIO);
		// One inflate at a time: a peer's frames cost at most one message's memory at once.
		this.#receivesPending += 1;
		this.#receiving = this.#receiving.then(async () => {
			let message: Uint8Array | null = null;
			try {
				message = await inflateRaw(deflated, limit);
			} catch (error) {
				this.#options.onProblem?.(
					`dropped a deflated message: ${error instanceof Error ? error.message : String(error)}`
				);
			}
			this.#receivesPending -= 1;
			if (message) this.#deliver(message);
		});
	}

	/** The link closed: nothing more is sent or delivered. */
	close(): void {
		this.#closed = true;
	}

	#deliver(message: Uint8Array): void {
		if (this.#closed) return;
		try {
			this.#options.deliver(message);
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
