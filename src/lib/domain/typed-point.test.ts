import { describe, expect, it } from 'vitest';
import { parseDecimal } from './numbers';
import { readPoint } from './typed-point';

const english = (text: string) => parseDecimal(text, '.');
const spanishSpain = (text: string) => parseDecimal(text, ',');

describe('a typed point', () => {
	it('reads latitude, longitude as people write them', () => {
		const point = { lat: 25.7743, lon: -80.1937 };
		for (const text of [
			'25.7743, -80.1937',
			'25.7743 -80.1937',
			'25.7743,-80.1937',
			' 25.7743; -80.1937 '
		])
			expect(readPoint(text, english)).toEqual({ ok: true, point });
		for (const text of [
			'25,7743; -80,1937',
			'25,7743, -80,1937',
			'25,7743 -80,1937',
			'25.7743, -80.1937'
		])
			expect(readPoint(text, spanishSpain)).toEqual({ ok: true, point });
	});

	it('is nothing when empty, and says why otherwise', () => {
		expect(readPoint('  ', english)).toEqual({ ok: true, point: null });
		expect(readPoint('north of the church', english)).toEqual({
			ok: false,
			problem: 'not-a-point'
		});
		expect(readPoint('25.7743', english)).toEqual({ ok: false, problem: 'not-a-point' });
		expect(readPoint('1, 2, 3', english)).toEqual({ ok: false, problem: 'not-a-point' });
		expect(readPoint('95, 10', english)).toEqual({ ok: false, problem: 'off-the-earth' });
		expect(readPoint('10, 181', english)).toEqual({ ok: false, problem: 'off-the-earth' });
	});
});
