// Framing that lets a message of any size cross a WebRTC data channel whose
// browser caps one message at 256 KiB (Chromium throws above it, and
// y-webrtc swallows the error). Pure functions and a reassembler; the
// channel wrapper that uses them lives in chunked-channel.ts.
//
//   whole message:  [0x00] payload
//   one chunk:      [0x01] messageId:u32 index:u32 count:u32 payload
//
// Chunks of different messages may interleave; each message is rebuilt when
// all its chunks have arrived. What a peer can make us hold is bounded: one
// message's size, the unfinished messages' bytes together, and how long an
// unfinished message waits for its next chunk.

export const CHUNK_SIZE = 16 * 1024;
const WHOLE = 0x00;
const PART = 0x01;
const PART_HEADER = 13;

export class ChunkError extends Error {
	/** The peer broke a limit meant to protect this device: drop the link, not just the frame. */
	readonly dropsLink: boolean;
	constructor(message: string, dropsLink = false) {
		super(message);
		this.dropsLink = dropsLink;
	}
}

export function frameMessage(
	data: Uint8Array,
	messageId: number,
	chunkSize = CHUNK_SIZE
): Uint8Array[] {
	if (data.byteLength + 1 <= chunkSize) {
		const frame = new Uint8Array(data.byteLength + 1);
		frame[0] = WHOLE;
		frame.set(data, 1);
		return [frame];
	}
	const payloadSize = chunkSize - PART_HEADER;
	const count = Math.ceil(data.byteLength / payloadSize);
	const frames: Uint8Array[] = [];
	for (let index = 0; index < count; index++) {
		const part = data.subarray(index * payloadSize, (index + 1) * payloadSize);
		const frame = new Uint8Array(PART_HEADER + part.byteLength);
		const view = new DataView(frame.buffer);
		frame[0] = PART;
		view.setUint32(1, messageId >>> 0);
		view.setUint32(5, index);
		view.setUint32(9, count);
		frame.set(part, PART_HEADER);
		frames.push(frame);
	}
	return frames;
}

interface Pending {
	parts: (Uint8Array | undefined)[];
	received: number;
	bytes: number;
	/** Bytes counted against the budget: payload plus what each part costs to keep. */
	held: number;
	lastChunkAt: number;
}

export interface ReassemblerLimits {
	/** A message larger than this is refused (a peer cannot exhaust our memory). */
	maxMessageBytes: number;
	/** How many partly received messages may be open at once. */
	maxPendingMessages: number;
	/** Bytes all unfinished messages may hold together; past it the link is dropped. */
	maxPendingBytes: number;
	/** An unfinished message with no new chunk for this long is thrown away. */
	expireAfterMs: number;
}

const MIB = 1024 * 1024;

/**
 * Our own sender never interleaves messages (chunked-channel.ts queues them in
 * order), so a link holds at most one unfinished message at a time unless the
 * peer is misbehaving. The largest message is the largest document a bundle
 * may carry (bundle.ts MAX_UPDATE_BYTES, 128 MiB; the largest space measured
 * is 11.5 MiB); the budget is that message plus room for its bookkeeping and a
 * few small ones. Chunks of one message follow each other as fast as the link
 * goes, so a minute without one means the sender stopped: a legitimate sender
 * would have closed the link by then.
 */
export const DEFAULT_LIMITS: ReassemblerLimits = {
	maxMessageBytes: 128 * MIB,
	maxPendingMessages: 32,
	maxPendingBytes: 160 * MIB,
	expireAfterMs: 60_000
};

/**
 * What keeping one part costs beyond its payload (an object and a buffer of
 * its own), so that a peer sending one-byte chunks still meets the budget.
 */
export const PART_COST = 256;

export class Reassembler {
	#pending = new Map<number, Pending>();
	#limits: ReassemblerLimits;
	#now: () => number;
	#held = 0;

	constructor(limits: Partial<ReassemblerLimits> = {}, now: () => number = Date.now) {
		this.#limits = { ...DEFAULT_LIMITS, ...limits };
		this.#now = now;
	}

	/** Feed one frame; returns a complete message when this frame finishes one. */
	push(frame: Uint8Array): Uint8Array | null {
		if (frame.byteLength === 0) throw new ChunkError('empty frame');
		if (frame[0] === WHOLE) return frame.subarray(1);
		if (frame[0] !== PART || frame.byteLength < PART_HEADER) throw new ChunkError('unknown frame');
		const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
		const messageId = view.getUint32(1);
		const index = view.getUint32(5);
		const count = view.getUint32(9);
		const payload = frame.subarray(PART_HEADER);
		if (count < 2 || index >= count) throw new ChunkError('chunk index out of range');
		// Every part but an empty message's carries a byte: more parts than bytes is a lie.
		if (count > this.#limits.maxMessageBytes) throw new ChunkError('message too large');
		this.expire();
		let pending = this.#pending.get(messageId);
		if (!pending) {
			if (this.#pending.size >= this.#limits.maxPendingMessages) {
				throw new ChunkError('too many unfinished messages');
			}
			pending = { parts: new Array(count), received: 0, bytes: 0, held: 0, lastChunkAt: 0 };
			this.#pending.set(messageId, pending);
		}
		if (pending.parts.length !== count) throw new ChunkError('chunk count changed mid-message');
		if (pending.parts[index]) throw new ChunkError('duplicate chunk');
		pending.bytes += payload.byteLength;
		if (pending.bytes > this.#limits.maxMessageBytes) {
			this.#discard(messageId);
			throw new ChunkError('message too large');
		}
		const cost = payload.byteLength + PART_COST;
		if (this.#held + cost > this.#limits.maxPendingBytes) {
			this.clear();
			throw new ChunkError('unfinished messages over budget', true);
		}
		pending.parts[index] = payload.slice();
		pending.held += cost;
		this.#held += cost;
		pending.received += 1;
		pending.lastChunkAt = this.#now();
		if (pending.received < count) return null;
		this.#discard(messageId);
		const message = new Uint8Array(pending.bytes);
		let offset = 0;
		for (const part of pending.parts as Uint8Array[]) {
			message.set(part, offset);
			offset += part.byteLength;
		}
		return message;
	}

	/** Throw away unfinished messages that waited too long; returns how many. */
	expire(): number {
		const before = this.#now() - this.#limits.expireAfterMs;
		let expired = 0;
		for (const [messageId, pending] of this.#pending) {
			if (pending.lastChunkAt > before) continue;
			this.#discard(messageId);
			expired += 1;
		}
		return expired;
	}

	/** Throw away every unfinished message. */
	clear(): void {
		this.#pending.clear();
		this.#held = 0;
	}

	#discard(messageId: number): void {
		const pending = this.#pending.get(messageId);
		if (!pending) return;
		this.#held -= pending.held;
		this.#pending.delete(messageId);
	}

	get pendingMessages(): number {
		return this.#pending.size;
	}

	/** Bytes the unfinished messages hold, as counted against the budget. */
	get pendingBytes(): number {
		return this.#held;
	}

	get expireAfterMs(): number {
		return this.#limits.expireAfterMs;
	}
}
