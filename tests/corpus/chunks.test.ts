// Runs the chunk-frame corpus (chunks.cases.ts) through the Reassembler and
// the ChunkedChannel a peer's data channel is wrapped in: each bad sequence
// ends in its ChunkError, nothing else is thrown, and the link still
// carries a good message after it.
import { describe, expect, it } from 'vitest';
import { ChunkedChannel, type RawDataChannel } from '../../src/lib/sync/chunked-channel';
import { ChunkError, Reassembler } from '../../src/lib/sync/chunking';
import { channelDataCases, chunkCases } from './chunks.cases';

function outcomeOf(reassembler: Reassembler, frames: Uint8Array[]) {
	let result: Uint8Array | null = null;
	for (const [at, frame] of frames.entries()) {
		try {
			result = reassembler.push(frame);
		} catch (error) {
			return { error, at };
		}
	}
	return { result };
}

/** A data channel that delivers what the test hands it. */
function fakeChannel(): RawDataChannel {
	return {
		label: 'corpus',
		readyState: 'open',
		bufferedAmount: 0,
		bufferedAmountLowThreshold: 0,
		binaryType: 'arraybuffer',
		onopen: null,
		onclose: null,
		onerror: null,
		onmessage: null,
		onbufferedamountlow: null,
		send() {},
		close() {}
	};
}

describe('bad chunk frames', () => {
	it.each(chunkCases)('%s', (_label, frames, expected) => {
		const reassembler = new Reassembler();
		const outcome = outcomeOf(reassembler, frames);
		if ('error' in expected) {
			expect(outcome.error).toBeInstanceOf(ChunkError);
			expect([expected.error].flat()).toContain((outcome.error as ChunkError).message);
			// Only the last frame is refused: every one before it was fine on its own.
			expect(outcome.at === frames.length - 1 || Array.isArray(expected.error)).toBe(true);
		} else {
			expect(outcome).toEqual({ result: new Uint8Array(expected.message) });
		}
		expect(reassembler.pendingMessages).toBeLessThanOrEqual(32);
		// The link still carries a whole message afterwards.
		expect(reassembler.push(new Uint8Array([0, 42]))).toEqual(new Uint8Array([42]));
	});

	it.each(chunkCases)('through a chunked channel: %s', (_label, frames, expected) => {
		const problems: string[] = [];
		const delivered: Uint8Array[] = [];
		const inner = fakeChannel();
		const channel = new ChunkedChannel(inner, {
			onProtocolError: (problem) => problems.push(problem)
		});
		channel.onmessage = (event) => delivered.push(new Uint8Array(event.data));
		for (const frame of frames) inner.onmessage?.({ data: frame.slice().buffer });
		if ('error' in expected) {
			expect(problems.length).toBeGreaterThanOrEqual(1);
			for (const problem of problems) expect([expected.error].flat()).toContain(problem);
		} else {
			expect(problems).toEqual([]);
			expect(delivered.at(-1)).toEqual(new Uint8Array(expected.message));
		}
	});

	it.each(channelDataCases)('a frame that is %s', (_label, data) => {
		const problems: string[] = [];
		const delivered: unknown[] = [];
		const inner = fakeChannel();
		const channel = new ChunkedChannel(inner, {
			onProtocolError: (problem) => problems.push(problem)
		});
		channel.onmessage = (event) => delivered.push(event.data);
		inner.onmessage?.({ data });
		expect(problems).toEqual(['TypeError: A chunked channel sends bytes or strings.']);
		expect(delivered).toEqual([]);
	});
});
