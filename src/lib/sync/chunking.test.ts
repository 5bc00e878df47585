import { describe, expect, it } from 'vitest';
import { ChunkError, frameMessage, Reassembler } from './chunking';

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
