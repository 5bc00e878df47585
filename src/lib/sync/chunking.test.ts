import { describe, expect, it } from 'vitest';
import { ChunkBudget } from './chunk-budget';
import { ChunkError, DEFAULT_LIMITS, frameMessage, PART_COST, Reassembler } from './chunking';

function bytes(length: number, seed = 1): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
	return out;
}

describe('chunk framing', () => {
	it('sends a small message as one frame and a large one as many, none over the size', () => {
		expect(frameMessage(bytes(100), 1, 1024)).toHaveLength(1);
		const frames = frameMessage(bytes(300_000), 2, 16 * 1024);
		expect(frames.length).toBe(Math.ceil(300_000 / (16 * 1024 - 13)));
		for (const frame of frames) expect(frame.byteLength).toBeLessThanOrEqual(16 * 1024);
	});

	it('reassembles exactly, including the edge sizes', () => {
		for (const size of [0, 1, 1022, 1023, 1024, 1025, 5000, 1_000_000]) {
			const message = bytes(size, size);
			const reassembler = new Reassembler();
			const out = frameMessage(message, 9, 1024).map((frame) => reassembler.push(frame));
			expect(out.slice(0, -1).every((item) => item === null)).toBe(true);
			const last = out.at(-1);
			expect(last && Buffer.from(last).equals(Buffer.from(message))).toBe(true);
			expect(reassembler.pendingMessages).toBe(0);
		}
	});

	it('reassembles interleaved messages', () => {
		const a = bytes(10_000, 1);
		const b = bytes(7_000, 2);
		const framesA = frameMessage(a, 1, 1000);
		const framesB = frameMessage(b, 2, 1000);
		const reassembler = new Reassembler();
		const done: Uint8Array[] = [];
		for (let i = 0; i < Math.max(framesA.length, framesB.length); i++) {
			for (const frame of [framesB[i], framesA[i]]) {
				if (!frame) continue;
				const message = reassembler.push(frame);
				if (message) done.push(message);
			}
		}
		expect(done).toEqual([b, a]);
	});

	it('refuses malformed, duplicate and oversized input with a ChunkError', () => {
		const reassembler = new Reassembler({ maxMessageBytes: 5000, maxPendingMessages: 2 });
		expect(() => reassembler.push(new Uint8Array())).toThrow(ChunkError);
		expect(() => reassembler.push(new Uint8Array([7, 1, 2]))).toThrow(/unknown frame/);
		const frames = frameMessage(bytes(3000), 1, 1000);
		reassembler.push(frames[0]!);
		expect(() => reassembler.push(frames[0]!)).toThrow(/duplicate/);
		const bad = frames[1]!.slice();
		new DataView(bad.buffer).setUint32(5, 99);
		expect(() => reassembler.push(bad)).toThrow(/out of range/);
		expect(() => frameMessage(bytes(9000), 2, 1000).forEach((f) => reassembler.push(f))).toThrow(
			/too large/
		);
		reassembler.push(frameMessage(bytes(3000), 3, 1000)[0]!);
		expect(() => reassembler.push(frameMessage(bytes(3000), 4, 1000)[0]!)).toThrow(/unfinished/);
	});
});

describe('what a peer can make the reassembler hold', () => {
	/** Chunk `index` of a message that claims `count` chunks, with `size` bytes of payload. */
	function part(messageId: number, index: number, count: number, size: number): Uint8Array {
		const frame = new Uint8Array(13 + size);
		const view = new DataView(frame.buffer);
		frame[0] = 1;
		view.setUint32(1, messageId);
		view.setUint32(5, index);
		view.setUint32(9, count);
		return frame;
	}

	/** Feed frames until one is refused or `maxBytes` went in; what went in, and the refusal. */
	function feedUntilRefused(
		reassembler: Reassembler,
		next: (round: number) => Uint8Array[],
		maxBytes: number
	): { fed: number; refused: unknown } {
		let fed = 0;
		for (let round = 0; fed < maxBytes; round++) {
			for (const frame of next(round)) {
				try {
					reassembler.push(frame);
				} catch (error) {
					return { fed, refused: error };
				}
				fed += frame.byteLength - 13;
			}
		}
		return { fed, refused: null };
	}

	it('drops every unfinished message, and says the link must go, past the total budget', () => {
		// The review's attack: 32 unfinished messages that each claim 512 MiB, fed round-robin.
		const reassembler = new Reassembler();
		const size = 16 * 1024 - 13;
		const count = Math.ceil((512 * 1024 * 1024) / size);
		const ids = Array.from({ length: 32 }, (_, i) => i + 1);
		const { fed, refused } = feedUntilRefused(
			reassembler,
			(round) => ids.map((id) => part(id, round, count, size)),
			256 * 1024 * 1024
		);
		expect(refused).toBeInstanceOf(ChunkError);
		expect((refused as ChunkError).dropsLink).toBe(true);
		expect(fed).toBeLessThanOrEqual(DEFAULT_LIMITS.maxPendingBytes);
		expect(reassembler.pendingMessages).toBe(0);
		expect(reassembler.pendingBytes).toBe(0);
	});

	it('counts what each part costs to keep, so one-byte chunks meet the budget too', () => {
		const reassembler = new Reassembler({ maxPendingBytes: 1024 * 1024 });
		let parts = 0;
		const { refused } = feedUntilRefused(
			reassembler,
			(round) => {
				parts = round + 1;
				return [part(1, round, 10_000_000, 1)];
			},
			1024 * 1024
		);
		expect((refused as ChunkError).dropsLink).toBe(true);
		expect(parts * PART_COST).toBeLessThanOrEqual(1024 * 1024 + PART_COST);
	});

	it('refuses a chunk that claims more parts than a message may have bytes', () => {
		const reassembler = new Reassembler({ maxMessageBytes: 1000 });
		expect(() => reassembler.push(part(1, 0, 0xffffffff, 10))).toThrow(/too large/);
		expect(reassembler.pendingMessages).toBe(0);
	});

	it('keeps an idle message while there is room, and throws it away only when room is needed', () => {
		let now = 1_000_000;
		const budget = new ChunkBudget({ maxBytes: 12_000, idleAfterMs: 60_000 }, () => now);
		let evicted = 0;
		const slow = new Reassembler({}, { budget, onEvicted: () => (evicted += 1) });
		const busy = new Reassembler({}, { budget });
		const frames = frameMessage(bytes(5000), 1, 1000);
		slow.push(frames[0]!);
		slow.push(frames[1]!);
		// An hour asleep: still kept, nothing else wants the room.
		now += 3_600_000;
		slow.push(frames[2]!);
		now += 3_600_000;
		expect(slow.pendingMessages).toBe(1);
		// Another link needs the room: the idle message goes, its link stays.
		const other = frameMessage(bytes(9000, 2), 2, 1000);
		const out = other.map((frame) => busy.push(frame));
		expect(out.at(-1)?.byteLength).toBe(9000);
		expect(evicted).toBe(1);
		expect(slow.pendingMessages).toBe(0);
		expect(budget.held).toBe(0);
		// The rest of it, arriving late, starts a new message that never completes.
		expect(frames.slice(3).map((frame) => slow.push(frame))).toEqual([null, null, null]);
	});

	it('never throws away a message idle for less than the idle time: the largest link goes instead', () => {
		let now = 0;
		const budget = new ChunkBudget({ maxBytes: 8000, idleAfterMs: 60_000 }, () => now);
		let dropped = 0;
		const large = new Reassembler({}, { budget, onDropped: () => (dropped += 1) });
		const small = new Reassembler({}, { budget });
		for (const frame of frameMessage(bytes(20_000), 1, 1000).slice(0, 6)) large.push(frame);
		now += 59_000;
		for (const frame of frameMessage(bytes(5000, 2), 2, 1000)) small.push(frame);
		expect(dropped).toBe(1);
		expect(large.pendingBytes).toBe(0);
	});

	it('makes room in its own share from its own idle messages before it gives up its link', () => {
		let now = 0;
		const budget = new ChunkBudget({ idleAfterMs: 60_000 }, () => now);
		let evicted = 0;
		const reassembler = new Reassembler(
			{ maxPendingBytes: 8000, maxPendingMessages: 2 },
			{ budget, onEvicted: () => (evicted += 1) }
		);
		for (const frame of frameMessage(bytes(6000), 1, 1000).slice(0, 4)) reassembler.push(frame);
		// A third message while two would be too many: refused while the first is fresh.
		reassembler.push(frameMessage(bytes(3000, 2), 2, 1000)[0]!);
		expect(() => reassembler.push(frameMessage(bytes(3000, 3), 3, 1000)[0]!)).toThrow(
			/too many unfinished/
		);
		now += 61_000;
		// Idle now: the first one makes way, for a new message and for bytes.
		reassembler.push(frameMessage(bytes(3000, 3), 3, 1000)[0]!);
		expect(evicted).toBe(1);
		expect(reassembler.pendingMessages).toBe(2);
	});

	it('keeps accepting a message as large as a bundle may carry', () => {
		const reassembler = new Reassembler({ maxPendingBytes: 3 * 1024 * 1024 });
		const message = bytes(2 * 1024 * 1024, 5);
		const out = frameMessage(message, 7).map((frame) => reassembler.push(frame));
		expect(out.at(-1)?.byteLength).toBe(message.byteLength);
		expect(reassembler.pendingBytes).toBe(0);
	});
});
