import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChain } from './chain.test-helper';
import type { AuthorId } from './entry';
import { decodeMessage, encodeMessage, type Message } from './messages';

const chain = buildChain(3);
const author = chain.key.author;

const samples: Message[] = [
	{ type: 'hello', vector: [], replyWanted: false },
	{
		type: 'hello',
		vector: [{ author, length: 3, hash: chain.hashes[2]!, bytes: 300 }],
		replyWanted: true
	},
	{ type: 'want', author, from: 2, to: 3 },
	{ type: 'entries', author, head: chain.heads[2]!, entries: chain.entries },
	{ type: 'have', author, seq: 3, hash: chain.hashes[2]! },
	{ type: 'refused', author, seq: 2, reason: 'fact-changed' },
	{
		type: 'fork',
		author,
		ranges: [
			{ head: chain.heads[1]!, entries: chain.entries.slice(0, 2) },
			{ head: chain.heads[2]!, entries: chain.entries.slice(2) }
		]
	}
];

describe('v2 messages', () => {
	it('read back as written, every type', () => {
		for (const message of samples)
			expect(decodeMessage(encodeMessage(message))).toEqual({ ok: true, message });
	});

	it('refuse, without throwing, every message cut short or with a byte more', () => {
		for (const message of samples) {
			const bytes = encodeMessage(message);
			for (let length = 0; length < bytes.length; length++)
				expect(decodeMessage(bytes.subarray(0, length)).ok).toBe(false);
			const longer = new Uint8Array(bytes.length + 1);
			longer.set(bytes);
			expect(decodeMessage(longer)).toEqual({ ok: false, detail: 'trailing bytes' });
		}
	});

	it('refuse counts and lengths that claim more than the message holds', () => {
		// A hello claiming 2³² authors in a few bytes, and an entries message claiming a huge entry.
		expect(decodeMessage(new Uint8Array([1, 2, 0, 255, 255, 255, 255, 15])).ok).toBe(false);
		const entries = encodeMessage(samples[3]!);
		const head = 1 + 32 + 1 + 32 + 64;
		const lying = new Uint8Array([...entries.subarray(0, head), 1, 255, 255, 255, 255, 7]);
		expect(decodeMessage(lying)).toEqual({ ok: false, detail: 'cut short' });
		expect(
			decodeMessage(encodeMessage({ type: 'want', author: author as AuthorId, from: 3, to: 3 })).ok
		).toBe(true);
	});

	it('never throw on random bytes', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 300 }),
				fc.integer({ min: 1, max: 8 }),
				(rest, type) => {
					const bytes = new Uint8Array([type, ...rest]);
					expect(() => decodeMessage(bytes)).not.toThrow();
				}
			),
			{ numRuns: 2000 }
		);
	});
});
