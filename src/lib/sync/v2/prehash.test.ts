import { describe, expect, it } from 'vitest';
import { buildChain, slice } from './chain.test-helper';
import { hashEntry, type EntryHash } from './entry';
import { DeflatingLink } from './link-deflate';
import { encodeMessage } from './messages';
import { prehashEntries } from './prehash';
import { verifyRange } from './verify';

/** A big entry (as a join's are) among small ones, so hashing takes a moment. */
function entriesMessage(count = 4) {
	const chain = buildChain(count, 'x'.repeat(200_000));
	const range = slice(chain, 1, count);
	return { chain, range, bytes: encodeMessage({ type: 'entries', ...range }) };
}

describe('prehashEntries', () => {
	it('hashes every entry of a range as hashEntry does, natively', async () => {
		const { chain, bytes } = entriesMessage();
		const hashes = await prehashEntries(bytes);
		expect(hashes).toHaveLength(4);
		expect(hashes).toEqual(chain.hashes);
		expect(hashes).toEqual(chain.entries.map((entry) => hashEntry(chain.key.author, entry)));
	});

	it('leaves to the engine a range of many small or malformed entries, hashing none', () => {
		// Live edits: small honest entries hash faster in JavaScript.
		const small = buildChain(20);
		expect(
			prehashEntries(encodeMessage({ type: 'entries', ...slice(small, 1, 20) }))
		).toBeUndefined();
		// A peer's range of 100,000 empty entries under any head: refused at once by the
		// engine, and never a digest call each here first.
		const junk = encodeMessage({
			type: 'entries',
			...slice(small, 1, 1),
			entries: Array.from({ length: 100_000 }, () => new Uint8Array(0))
		});
		expect(prehashEntries(junk)).toBeUndefined();
		// Large, but one of them is not an entry: nothing hashed either.
		const { range } = entriesMessage(3);
		const broken = encodeMessage({
			type: 'entries',
			...range,
			entries: [range.entries[0]!, new Uint8Array(300_000), range.entries[2]!]
		});
		expect(prehashEntries(broken)).toBeUndefined();
	});

	it('answers at once, with nothing, for every other message and for junk', () => {
		const chain = buildChain(1);
		expect(
			prehashEntries(encodeMessage({ type: 'want', author: chain.key.author, from: 1, to: 3 }))
		).toBeUndefined();
		expect(prehashEntries(new Uint8Array([3, 1, 2]))).toBeUndefined();
		expect(prehashEntries(new Uint8Array(0))).toBeUndefined();
	});
});

describe('verifyRange with hashes made already', () => {
	it('uses them: a wrong one breaks the chain where it stands', () => {
		const chain = buildChain(3);
		const range = slice(chain, 1, 3);
		const wrong = [...chain.hashes];
		wrong[1] = new Uint8Array(32) as EntryHash;
		expect(verifyRange({ ...range, hashes: chain.hashes })).toMatchObject({ ok: true, to: 3 });
		expect(verifyRange({ ...range, hashes: wrong })).toMatchObject({
			ok: false,
			reason: 'broken-chain'
		});
	});

	it('makes its own when they do not line up with the entries', () => {
		const chain = buildChain(3);
		const range = slice(chain, 1, 3);
		const short = [new Uint8Array(32) as EntryHash];
		expect(verifyRange({ ...range, hashes: short })).toMatchObject({ ok: true, to: 3 });
	});

	it('refuses an altered entry whatever its hashes were made from', async () => {
		const { range, bytes } = entriesMessage(2);
		// One byte of the first entry's body changed after it was signed.
		const flip = (bytes: Uint8Array) => {
			const at = bytes.length - 10_000;
			bytes[at] = bytes[at]! ^ 1;
		};
		const altered = bytes.slice();
		flip(altered);
		const hashes = await prehashEntries(altered);
		expect(hashes).toHaveLength(2);
		const entries = [range.entries[0]!, range.entries[1]!.slice()];
		flip(entries[1]!);
		expect(verifyRange({ ...range, entries, hashes })).toMatchObject({
			ok: false,
			reason: 'broken-chain'
		});
	});
});

describe('a link that prehashes', () => {
	it('hands each range over with its hashes, in the order the frames came', async () => {
		const { chain, bytes } = entriesMessage();
		const want = encodeMessage({ type: 'want', author: chain.key.author, from: 1, to: 2 });
		const delivered: { type: number; hashes?: EntryHash[] }[] = [];
		const link = new DeflatingLink({
			send: () => {},
			deliver: (message, hashes) => delivered.push({ type: message[0]!, hashes }),
			prehash: prehashEntries
		});
		link.receive(bytes);
		// Nothing to hash: it still waits for the range before it.
		link.receive(want);
		await expect.poll(() => delivered.length).toBe(2);
		expect(delivered[0]).toEqual({ type: bytes[0], hashes: chain.hashes });
		expect(delivered[1]).toEqual({ type: want[0], hashes: undefined });
	});
});
