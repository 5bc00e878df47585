import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, hashEntry, type AuthorId, type EntryHash } from './entry';

const entries = fc.record({
	seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
	prev: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytes as EntryHash),
	kind: fc.constantFrom(0 as const, 1 as const, 2 as const),
	epoch: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
	time: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
	body: fc.uint8Array({ maxLength: 300 })
});

describe('entry codec', () => {
	it('reads back every entry it writes', () => {
		fc.assert(
			fc.property(entries, (entry) => {
				expect(decodeEntry(encodeEntry(entry))).toEqual({ ok: true, entry });
			})
		);
	});

	it('never throws on bytes from anywhere', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
				const result = decodeEntry(bytes);
				expect(typeof result.ok).toBe('boolean');
			})
		);
	});

	it('refuses unknown versions and kinds', () => {
		const entry = {
			seq: 1,
			prev: new Uint8Array(32) as EntryHash,
			kind: 0 as const,
			epoch: 1,
			time: 1
		};
		const encoded = encodeEntry({ ...entry, body: new Uint8Array([1, 2]) });
		const otherVersion = encoded.slice();
		otherVersion[0] = 2;
		expect(decodeEntry(otherVersion)).toMatchObject({ ok: false, reason: 'malformed' });
		const roleKind = encodeEntry({ ...entry, kind: 3 as never, body: new Uint8Array() });
		expect(decodeEntry(roleKind)).toMatchObject({ ok: false, detail: 'unknown kind 3' });
	});

	it('hashes the author in: the same bytes under two authors hash apart', () => {
		const encoded = encodeEntry({
			seq: 1,
			prev: new Uint8Array(32) as EntryHash,
			kind: 0,
			epoch: 1,
			time: 1,
			body: new Uint8Array([9])
		});
		const a = new Uint8Array(32).fill(1) as AuthorId;
		const b = new Uint8Array(32).fill(2) as AuthorId;
		expect(hashEntry(a, encoded)).not.toEqual(hashEntry(b, encoded));
		expect(hashEntry(a, encoded)).toEqual(hashEntry(a, encoded.slice()));
	});
});
