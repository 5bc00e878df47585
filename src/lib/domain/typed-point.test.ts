import { describe, expect, it } from 'vitest';
import { readPoint } from './typed-point';

describe('a typed point', () => {
	it('reads latitude, longitude as people write them', () => {
		const point = { lat: 25.7743, lon: -80.1937 };
		for (const text of [
			'25.7743, -80.1937',
			'25.7743 -80.1937',
			'25.7743,-80.1937',
			' 25.7743; -80.1937 '
		])
			expect(readPoint(text)).toEqual({ ok: true, point });
		for (const text of [
			'25,7743; -80,1937',
			'25,7743, -80,1937',
			'25,7743 -80,1937',
			'25.7743, -80.1937'
		])
			expect(readPoint(text)).toEqual({ ok: true, point });
	});

	it('is nothing when empty, and says why otherwise', () => {
		expect(readPoint('  ')).toEqual({ ok: true, point: null });
		expect(readPoint('north of the church')).toEqual({
			ok: false,
			problem: 'not-a-point'
		});
		expect(readPoint('25.7743')).toEqual({ ok: false, problem: 'not-a-point' });
		expect(readPoint('1, 2, 3')).toEqual({ ok: false, problem: 'not-a-point' });
		expect(readPoint('95, 10')).toEqual({ ok: false, problem: 'off-the-earth' });
		expect(readPoint('10, 181')).toEqual({ ok: false, problem: 'off-the-earth' });
	});

	it('reads three decimals as decimals, never as thousands, with either mark', () => {
		expect(readPoint('19.432, -99.133')).toEqual({
			ok: true,
			point: { lat: 19.432, lon: -99.133 }
		});
		expect(readPoint('19,432; -99,133')).toEqual({
			ok: true,
			point: { lat: 19.432, lon: -99.133 }
		});
		expect(readPoint('-0.5, 0.125')).toEqual({ ok: true, point: { lat: -0.5, lon: 0.125 } });
		expect(readPoint('18.486, -69.931')).toEqual({
			ok: true,
			point: { lat: 18.486, lon: -69.931 }
		});
		expect(readPoint('1.000.5, 2')).toEqual({ ok: false, problem: 'not-a-point' });
	});
});
