import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChain, slice } from './chain.test-helper';
import {
	MAX_ENTRY_BYTES,
	NO_PREVIOUS,
	decodeEntry,
	encodeEntry,
	hashEntry,
	type EntryHash
} from './entry';
import { generateDeviceKey, isForkProof, signHead } from './head';
import { verifyRange } from './verify';

const chain = buildChain(8);

describe('verifyRange', () => {
	it('accepts a whole chain and returns its entries and hashes', () => {
		const result = verifyRange(slice(chain, 1, 8));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect([result.from, result.to]).toEqual([1, 8]);
		expect(result.entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(result.hashes).toEqual(chain.hashes);
		expect(new TextDecoder().decode(result.entries[4]!.body)).toBe('a5');
	});

	it('accepts every sub-range, with the hash before it known or not yet known', () => {
		for (let from = 1; from <= 8; from++)
			for (let to = from; to <= 8; to++) {
				const range = slice(chain, from, to);
				expect(verifyRange(range).ok).toBe(true);
				const unanchored = verifyRange({ ...range, known: undefined });
				expect(unanchored.ok).toBe(true);
				// Authenticated from above: the hash entry from − 1 must have when it arrives.
				if (unanchored.ok && from > 1) expect(unanchored.prev).toEqual(chain.hashes[from - 2]);
			}
	});

	it('refuses a range with any byte of any entry changed', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 7 }),
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(index, at, flip) => {
					const entries = chain.entries.map((bytes) => bytes.slice());
					const target = entries[index]!;
					target[at % target.length]! ^= flip;
					const result = verifyRange({ ...slice(chain, 1, 8), entries });
					expect(result.ok).toBe(false);
				}
			)
		);
	});

	it('refuses a head with any byte of its hash or signature changed, or another seq', () => {
		const range = slice(chain, 1, 8);
		for (const field of ['hash', 'signature'] as const)
			for (let at = 0; at < range.head[field].length; at++) {
				const bytes = range.head[field].slice();
				bytes[at]! ^= 1;
				const result = verifyRange({ ...range, head: { ...range.head, [field]: bytes } });
				expect(result.ok ? 'accepted' : result.reason).not.toBe('accepted');
			}
		// The head at 8 presented as the head at 7 over entries 1..7.
		const result = verifyRange({ ...slice(chain, 1, 7), head: { ...chain.heads[7]!, seq: 7 } });
		expect(result.ok ? 'accepted' : result.reason).toBe('bad-signature');
	});

	it('refuses entries cut short at any length, or with bytes added', () => {
		const range = slice(chain, 1, 3);
		const entry = range.entries[1]!;
		for (let length = 0; length < entry.length; length++) {
			const entries = [range.entries[0]!, entry.subarray(0, length), range.entries[2]!];
			const result = verifyRange({ ...range, entries });
			expect(result.ok ? 'accepted' : result.reason).toBe('malformed');
		}
		const longer = new Uint8Array([...entry, 0]);
		const result = verifyRange({
			...range,
			entries: [range.entries[0]!, longer, range.entries[2]!]
		});
		expect(result.ok ? 'accepted' : result.reason).toBe('malformed');
	});

	it('never reads past a view of a larger buffer', () => {
		// The entry cut before its body ends, as a view whose buffer holds the rest.
		const whole = chain.entries[0]!;
		const view = new Uint8Array(whole.buffer.slice(0), whole.byteOffset, whole.length - 1);
		expect(decodeEntry(view)).toMatchObject({ ok: false, reason: 'malformed' });
	});

	it('refuses reordered entries', () => {
		fc.assert(
			fc.property(
				fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }),
				(order) => {
					fc.pre(order.some((value, i) => value !== i));
					const entries = order.map((i) => chain.entries[i]!);
					const result = verifyRange({ ...slice(chain, 1, 8), entries });
					expect(result.ok ? 'accepted' : result.reason).toBe('gap');
				}
			)
		);
	});

	it('refuses gaps: a missing entry, or a head that is not at the last entry', () => {
		const range = slice(chain, 1, 8);
		const missing = verifyRange({ ...range, entries: range.entries.filter((_, i) => i !== 3) });
		expect(missing).toMatchObject({ ok: false, reason: 'gap', expected: 4, got: 5 });
		const headBeyond = verifyRange({ ...slice(chain, 1, 6), head: chain.heads[7]! });
		expect(headBeyond).toMatchObject({ ok: false, reason: 'gap', expected: 6, got: 8 });
		expect(verifyRange({ ...range, entries: [] })).toMatchObject({
			ok: false,
			reason: 'malformed'
		});
	});

	it('refuses a range whose first entry does not follow the hash this peer holds', () => {
		// Not signed by the author as the chain it gave before: entries 5..8 of
		// this chain after some other hash at 4, e.g. a stale or wrong anchor.
		const range = slice(chain, 5, 8);
		const wrong = new Uint8Array(32).fill(7) as EntryHash;
		expect(verifyRange({ ...range, known: wrong })).toMatchObject({
			ok: false,
			reason: 'fork',
			seq: 4
		});
	});

	it('refuses a first entry that claims a previous one', () => {
		const key = generateDeviceKey();
		const encoded = encodeEntry({
			seq: 1,
			prev: new Uint8Array(32).fill(1) as EntryHash,
			kind: 0,
			epoch: 1,
			time: 1,
			body: new Uint8Array([1])
		});
		const head = signHead(key, 1, hashEntry(key.author, encoded));
		expect(verifyRange({ author: key.author, entries: [encoded], head })).toMatchObject({
			ok: false,
			reason: 'broken-chain',
			seq: 1
		});
	});

	it('refuses a chain signed by another key', () => {
		const other = generateDeviceKey();
		const range = slice(chain, 1, 8);
		// The head names the author but another key signed it.
		const forged = { ...signHead(other, 8, chain.hashes[7]!), author: chain.key.author };
		expect(verifyRange({ ...range, head: forged })).toMatchObject({
			ok: false,
			reason: 'bad-signature'
		});
		// A head that is honestly another author's does not cover this log.
		const theirs = signHead(other, 8, chain.hashes[7]!);
		expect(verifyRange({ ...range, head: theirs })).toMatchObject({
			ok: false,
			reason: 'bad-signature'
		});
	});

	it("refuses entries moved into another author's log: the hash covers the author", () => {
		const other = generateDeviceKey();
		const moved = {
			author: other.author,
			entries: chain.entries,
			head: signHead(other, 8, chain.hashes[7]!)
		};
		expect(verifyRange(moved)).toMatchObject({ ok: false, reason: 'broken-chain', seq: 8 });
	});

	it('refuses an oversized entry before reading it', () => {
		const big = new Uint8Array(MAX_ENTRY_BYTES + 1);
		expect(decodeEntry(big)).toMatchObject({ ok: false, reason: 'oversize' });
		const result = verifyRange({ ...slice(chain, 1, 2), entries: [chain.entries[0]!, big] });
		expect(result).toMatchObject({ ok: false, reason: 'oversize', bytes: MAX_ENTRY_BYTES + 1 });
	});

	it('accepts an entry of exactly the limit', () => {
		const key = generateDeviceKey();
		const bare = encodeEntry({
			seq: 1,
			prev: NO_PREVIOUS,
			kind: 0,
			epoch: 1,
			time: 1,
			body: new Uint8Array()
		});
		// The body's length prefix grows to 4 bytes at this size.
		const body = new Uint8Array(MAX_ENTRY_BYTES - bare.length - 3);
		const encoded = encodeEntry({ seq: 1, prev: NO_PREVIOUS, kind: 0, epoch: 1, time: 1, body });
		expect(encoded.length).toBe(MAX_ENTRY_BYTES);
		const head = signHead(key, 1, hashEntry(key.author, encoded));
		expect(verifyRange({ author: key.author, entries: [encoded], head }).ok).toBe(true);
	});
});

describe('forks', () => {
	// One key, two histories that agree up to 4 and differ from 5.
	const base = buildChain(4);
	const left = buildChain(4, 'left', base);
	const right = buildChain(4, 'right', base);

	it('each history verifies alone', () => {
		expect(verifyRange(slice(left, 1, 8)).ok).toBe(true);
		expect(verifyRange(slice(right, 1, 8)).ok).toBe(true);
	});

	it('a range of one history after a peer verified the other is a fork, with the evidence', () => {
		const range = { ...slice(right, 7, 8), known: left.hashes[5] };
		const result = verifyRange(range);
		expect(result).toMatchObject({ ok: false, reason: 'fork', seq: 6 });
		if (result.ok || result.reason !== 'fork') return;
		expect(result.head).toEqual(right.heads[7]);
		expect(result.entries).toEqual(right.entries.slice(6, 8));
	});

	it('heads whose seq is not a whole number from 1 are never taken as proof', () => {
		for (const seq of [0, -1, 1.5, Number.NaN, 2 ** 53])
			expect(isForkProof({ ...left.heads[5]!, seq }, { ...right.heads[5]!, seq })).toBe(false);
	});

	it('two signed heads for one seq with different hashes prove the fork', () => {
		expect(isForkProof(left.heads[5]!, right.heads[5]!)).toBe(true);
		// The same head twice, heads before the fork, or different seqs prove nothing.
		expect(isForkProof(left.heads[5]!, left.heads[5]!)).toBe(false);
		expect(isForkProof(left.heads[3]!, right.heads[3]!)).toBe(false);
		expect(isForkProof(left.heads[5]!, right.heads[6]!)).toBe(false);
	});

	it('a forged second head proves nothing', () => {
		const forged = { ...right.heads[5]!, signature: right.heads[5]!.signature.slice() };
		forged.signature[0]! ^= 1;
		expect(isForkProof(left.heads[5]!, forged)).toBe(false);
	});
});
