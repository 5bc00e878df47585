import { describe, expect, it } from 'vitest';
import { KEEPING_BYTES, ServedPieces } from './served-pieces';

/** What keeping 100 bytes under a one-letter key costs. */
const EACH = 100 + 2 + KEEPING_BYTES;

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe('ServedPieces', () => {
	it('gives the message it made for a key again, without making it again', () => {
		const pieces = new ServedPieces();
		let made = 0;
		const make = () => (made++, bytes(100, 1));
		const first = pieces.message('a/1/5/ff', 0, make);
		const again = pieces.message('a/1/5/ff', 10, make);
		expect(again).toBe(first);
		expect(made).toBe(1);
		// Another range is another message.
		expect(pieces.message('a/6/9/ee', 20, make)).not.toBe(first);
		expect(made).toBe(2);
	});

	it('keeps at most its bytes, letting the least recently sent go first', () => {
		const pieces = new ServedPieces({ maxBytes: 2 * EACH + 50 });
		const a = pieces.message('a', 0, () => bytes(100, 1));
		pieces.message('b', 1, () => bytes(100, 2));
		// Sending a again makes b the least recent.
		pieces.message('a', 2, () => bytes(100, 9));
		pieces.message('c', 3, () => bytes(100, 3));
		expect(pieces.bytes).toBe(2 * EACH);
		expect(pieces.message('a', 4, () => bytes(100, 9))).toBe(a);
		let madeB = false;
		pieces.message('b', 5, () => ((madeB = true), bytes(100, 2)));
		expect(madeB).toBe(true);
	});

	it('never keeps a message larger than all it may keep', () => {
		const pieces = new ServedPieces({ maxBytes: EACH - 1 });
		const large = pieces.message('a', 0, () => bytes(100, 1));
		expect(large).toHaveLength(100);
		expect(pieces.bytes).toBe(0);
	});

	it('lets go of what was not sent within keepMs', () => {
		const pieces = new ServedPieces({ keepMs: 1000 });
		pieces.message('old', 0, () => bytes(100, 1));
		pieces.message('new', 900, () => bytes(100, 2));
		pieces.forget(1500);
		// Only 'new' is left: its bytes, its key's and what keeping it costs.
		expect(pieces.bytes).toBe(100 + 2 * 'new'.length + KEEPING_BYTES);
		let made = 0;
		pieces.message('new', 1600, () => (made++, bytes(100, 2)));
		pieces.message('old', 1600, () => (made++, bytes(100, 1)));
		expect(made).toBe(1);
	});

	it('keeps at most maxCount messages, however small', () => {
		const pieces = new ServedPieces({ maxCount: 3 });
		for (const key of ['a', 'b', 'c', 'd']) pieces.message(key, 0, () => bytes(1, 1));
		let made = false;
		pieces.message('a', 1, () => ((made = true), bytes(1, 1)));
		expect(made).toBe(true);
		expect(pieces.bytes).toBe(3 * (1 + 2 + KEEPING_BYTES));
	});
});
