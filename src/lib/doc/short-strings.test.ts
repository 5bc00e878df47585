import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShortStrings } from './short-strings';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encode = (text: string) => new TextEncoder().encode(text);

describe('ShortStrings', () => {
	it('reads ASCII as a TextDecoder does, and gives up on anything else', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 }), (texts) => {
				// Two slots: most reads meet a string kept for other bytes.
				const strings = new ShortStrings(2);
				for (const text of texts) {
					const bytes = encode(`<${text}>`);
					const read = strings.read(bytes, 1, bytes.length - 1);
					const ascii = bytes.every((byte) => byte < 0x80);
					expect(read).toBe(ascii ? utf8.decode(bytes.subarray(1, -1)) : null);
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
