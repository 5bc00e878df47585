// Framing that lets a message of any size cross a WebRTC data channel whose
// browser caps one message at 256 KiB (Chromium throws above it, and
// y-webrtc swallows the error). Pure functions and a reassembler; the
// channel wrapper that uses them lives in chunked-channel.ts.
//
//   whole message:  [0x00] payload
//   one chunk:      [0x01] messageId:u32 index:u32 count:u32 payload
//
// Chunks of different messages may interleave; each message is rebuilt when
// all its chunks have arrived.

export const CHUNK_SIZE = 16 * 1024;
const WHOLE = 0x00;
const PART = 0x01;
const PART_HEADER = 13;

export class ChunkError extends Error {}

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
}

export interface ReassemblerLimits {
	/** A message larger than this is refused (a peer cannot exhaust our memory). */
	maxMessageBytes: number;
	/** How many partly received messages may be open at once. */
	maxPendingMessages: number;
}

export const DEFAULT_LIMITS: ReassemblerLimits = {
	maxMessageBytes: 512 * 1024 * 1024,
	maxPendingMessages: 32
};

export class Reassembler {
	#pending = new Map<number, Pending>();
	#limits: ReassemblerLimits;

	constructor(limits: Partial<ReassemblerLimits> = {}) {
		this.#limits = { ...DEFAULT_LIMITS, ...limits };
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
		let pending = this.#pending.get(messageId);
		if (!pending) {
			if (this.#pending.size >= this.#limits.maxPendingMessages) {
				throw new ChunkError('too many unfinished messages');
			}
			pending = { parts: new Array(count), received: 0, bytes: 0 };
			this.#pending.set(messageId, pending);
		}
		if (pending.parts.length !== count) throw new ChunkError('chunk count changed mid-message');
		if (pending.parts[index]) throw new ChunkError('duplicate chunk');
		pending.bytes += payload.byteLength;
		if (pending.bytes > this.#limits.maxMessageBytes) {
			this.#pending.delete(messageId);
			throw new ChunkError('message too large');
		}
		pending.parts[index] = payload.slice();
		pending.received += 1;
		if (pending.received < count) return null;
		this.#pending.delete(messageId);
		const message = new Uint8Array(pending.bytes);
		let offset = 0;
		for (const part of pending.parts as Uint8Array[]) {
			message.set(part, offset);
			offset += part.byteLength;
		}
		return message;
	}

	get pendingMessages(): number {
		return this.#pending.size;
	}
}
