import { describe, expect, it } from 'vitest';
import { parseSite } from './supplies';

describe('sites', () => {
	it('accepts sites without a point (older records) and refuses a bad one', () => {
		const base = { name: 'Depot', kind: 'depot', createdAt: 1 };
		expect(parseSite('site-00000001', base).ok).toBe(true);
		expect(parseSite('site-00000001', { ...base, point: { lat: 'x', lon: 1 } }).ok).toBe(false);
	});
});
