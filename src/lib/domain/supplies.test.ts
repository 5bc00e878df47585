import { describe, expect, it } from 'vitest';
import { parseSite } from './supplies';
import { parsePoint } from './geo';

describe('sites', () => {
	it('reads a point as latitude, longitude, or explains the format', () => {
		expect(parsePoint('18.4861, -69.9312')).toEqual({
			ok: true,
			point: { lat: 18.4861, lon: -69.9312 }
		});
		expect(parsePoint('  ')).toEqual({ ok: true, point: null });
		expect(parsePoint('north of the church')).toMatchObject({
			ok: false,
			message: /latitude, longitude/
		});
		expect(parsePoint('95, 10')).toMatchObject({ ok: false });
	});

	it('accepts sites without a point (older records) and refuses a bad one', () => {
		const base = { name: 'Depot', kind: 'depot', createdAt: 1 };
		expect(parseSite('site-00000001', base).ok).toBe(true);
		expect(parseSite('site-00000001', { ...base, point: { lat: 'x', lon: 1 } }).ok).toBe(false);
	});
});
