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
// message's size, how many are unfinished at once, and the unfinished
// messages' bytes — this link's share, and the budget every link of the
// device shares (chunk-budget.ts, which also says when an idle message goes).
import { ChunkBudget, type BudgetHolder } from './chunk-budget';

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
	/** This link's share: bytes its unfinished messages may hold together; past it the link is dropped. */
	maxPendingBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Our own sender never interleaves messages (chunked-channel.ts queues them in
 * order), so a link holds at most one unfinished message at a time unless the
 * peer is misbehaving. The largest message is the largest document a bundle
 * may carry (bundle.ts MAX_UPDATE_BYTES, 128 MiB; the largest space measured
 * is 11.5 MiB); a link's share is that message plus room for its bookkeeping
 * and a few small ones, well under the device's budget (chunk-budget.ts), so
 * one link cannot take all of it.
 */
export const DEFAULT_LIMITS: ReassemblerLimits = {
	maxMessageBytes: 128 * MIB,
	maxPendingMessages: 32,
	maxPendingBytes: 160 * MIB
};

/** What a reassembler shares with the device, and what it tells its link. */
export interface ReassemblerOptions {
	/** Shared by every link of the device; by default one of its own with no total limit. */
	budget?: ChunkBudget;
	/** An idle unfinished message was thrown away to make room. */
	onEvicted?: () => void;
	/** The device needed the room and this link held the most: it lost everything and must go. */
	onDropped?: () => void;
}

/**
 * What keeping one part costs beyond its payload (an object and a buffer of
 * its own), so that a peer sending one-byte chunks still meets the budget.
 */
export const PART_COST = 256;

export class Reassembler implements BudgetHolder {
	#pending = new Map<number, Pending>();
	#limits: ReassemblerLimits;
	#budget: ChunkBudget;
	#options: ReassemblerOptions;
	#held = 0;

	constructor(limits: Partial<ReassemblerLimits> = {}, options: ReassemblerOptions = {}) {
		this.#limits = { ...DEFAULT_LIMITS, ...limits };
		this.#budget = options.budget ?? new ChunkBudget({ maxBytes: Infinity });
		this.#options = options;
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
		const now = this.#budget.now();
		let pending = this.#pending.get(messageId);
		if (!pending) {
			if (this.#pending.size >= this.#limits.maxPendingMessages && !this.#evictIdle(now)) {
				throw new ChunkError('too many unfinished messages');
			}
			pending = { parts: new Array(count), received: 0, bytes: 0, held: 0, lastChunkAt: now };
			this.#pending.set(messageId, pending);
		}
		if (pending.parts.length !== count) throw new ChunkError('chunk count changed mid-message');
		if (pending.parts[index]) throw new ChunkError('duplicate chunk');
		if (pending.bytes + payload.byteLength > this.#limits.maxMessageBytes) {
			this.#discard(messageId);
			throw new ChunkError('message too large');
		}
		// This message is not idle: it is the one being fed.
		pending.lastChunkAt = now;
		const cost = payload.byteLength + PART_COST;
		while (this.#held + cost > this.#limits.maxPendingBytes && this.#evictIdle(now));
		if (this.#held + cost > this.#limits.maxPendingBytes || !this.#budget.makeRoom(this, cost)) {
			this.clear();
			throw new ChunkError('unfinished messages over budget', true);
		}
		pending.bytes += payload.byteLength;
		pending.parts[index] = payload.slice();
		pending.held += cost;
		this.#hold(cost);
		pending.received += 1;
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

	/** Throw away this link's longest-idle message if it has been idle long enough. */
	#evictIdle(now: number): boolean {
		const at = this.oldestChunkAt;
		if (at === null || at >= now - this.#budget.limits.idleAfterMs) return false;
		this.evictOldest();
		return true;
	}

	get oldestChunkAt(): number | null {
		let oldest: number | null = null;
		for (const pending of this.#pending.values())
			if (oldest === null || pending.lastChunkAt < oldest) oldest = pending.lastChunkAt;
		return oldest;
	}

	evictOldest(): void {
		let oldestId: number | null = null;
		let oldestAt = Infinity;
		for (const [messageId, pending] of this.#pending) {
			if (pending.lastChunkAt < oldestAt) [oldestId, oldestAt] = [messageId, pending.lastChunkAt];
		}
		if (oldestId === null) return;
		this.#discard(oldestId);
		this.#options.onEvicted?.();
	}

	drop(): void {
		this.clear();
		this.#options.onDropped?.();
	}

	/** Throw away every unfinished message. */
	clear(): void {
		this.#pending.clear();
		this.#hold(-this.#held);
	}

	#hold(bytes: number): void {
		this.#held += bytes;
		this.#budget.change(this, bytes);
	}

	#discard(messageId: number): void {
		const pending = this.#pending.get(messageId);
		if (!pending) return;
		this.#pending.delete(messageId);
		this.#hold(-pending.held);
	}

	get pendingMessages(): number {
		return this.#pending.size;
	}

	/** Bytes the unfinished messages hold, as counted against the budget. */
	get pendingBytes(): number {
		return this.#held;
	}
}
