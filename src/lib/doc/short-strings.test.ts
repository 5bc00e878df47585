import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStrings } from './short-strings';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encode = (text: string) => new TextEncoder().encode(text);

describe('ShortStrings', () => {
	it('reads ASCII as a TextDecoder does, and gives up on any other byte', () => {
		// Any bytes, and text in any script: the table is read through two slots,
		// so most reads meet a string kept for other bytes.
		const texts = fc.oneof(
			fc.uint8Array({ maxLength: 64 }),
			fc.string({ unit: 'binary', maxLength: 40 }).map((text) => new TextEncoder().encode(text)),
			fc.constantFrom('title', 'titles', 'createdAt', 'need', 'offer').map(encode)
		);
		fc.assert(
			fc.property(fc.array(texts, { maxLength: 60 }), (all) => {
				const strings = new ShortStrings(2);
				for (const bytes of all) {
					const framed = Uint8Array.of(0x7b, ...bytes, 0x7d);
					const read = strings.read(framed, 1, framed.length - 1);
					const ascii = bytes.every((byte) => byte < 0x80);
					expect(read).toBe(ascii ? utf8.decode(bytes) : null);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('reads a text kept from other bytes at another place in these', () => {
		const strings = new ShortStrings();
		expect(strings.read(encode('createdAt'), 0, 9)).toBe('createdAt');
		expect(strings.read(encode('title'), 0, 5)).toBe('title');
		expect(strings.read(encode('xxcreatedAtyy'), 2, 11)).toBe('createdAt');
		expect(strings.read(encode('xxcreatedAtyy'), 2, 10)).toBe('createdA');
	});

	it('tells apart texts that fall into the same slot', () => {
		// One slot: every text collides with the one before it.
		const strings = new ShortStrings(1);
		expect(strings.read(encode('need'), 0, 4)).toBe('need');
		expect(strings.read(encode('offer'), 0, 5)).toBe('offer');
		expect(strings.read(encode('nees'), 0, 4)).toBe('nees');
		expect(strings.read(encode('need'), 0, 4)).toBe('need');
		expect(strings.read(encode(''), 0, 0)).toBe('');
	});

	it('takes only a power of two for its size', () => {
		expect(() => new ShortStrings(3)).toThrow(RangeError);
		expect(() => new ShortStrings(0)).toThrow(RangeError);
	});
});
