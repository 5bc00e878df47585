import { describe, expect, it } from 'vitest';
import { decimalsFor, gridLabel, gridStep, gridValues, wrapLongitude } from './graticule';

describe('the grid over a blank geographic map', () => {
	it('picks a round step with a few lines across the view', () => {
		expect(gridStep(360)).toBe(30);
		expect(gridStep(40)).toBe(10);
		expect(gridStep(0.05)).toBe(0.01);
		expect(gridStep(0.012)).toBe(0.002);
		expect(gridStep(0)).toBe(0.0001);
	});

	it('lists the lines in view, rounded, and how many decimals they need', () => {
		expect(gridValues(-80.215, -80.175, 0.01)).toEqual([-80.21, -80.2, -80.19, -80.18]);
		expect(gridValues(-100, 100, 30)).toEqual([-90, -60, -30, 0, 30, 60, 90]);
		expect([decimalsFor(30), decimalsFor(0.5), decimalsFor(0.05), decimalsFor(0.0002)]).toEqual([
			0, 1, 2, 4
		]);
	});

	it('labels lines with their side of the equator or the meridian', () => {
		expect(gridLabel(25.8, 'lat', 1)).toEqual({ degrees: '25.8', side: 'N' });
		expect(gridLabel(-80.19, 'lon', 2)).toEqual({ degrees: '80.19', side: 'W' });
		expect(gridLabel(-33.9, 'lat', 1)).toEqual({ degrees: '33.9', side: 'S' });
		expect(gridLabel(151.2, 'lon', 1)).toEqual({ degrees: '151.2', side: 'E' });
		expect(gridLabel(0, 'lat', 0)).toEqual({ degrees: '0', side: null });
		expect(gridLabel(180, 'lon', 0)).toEqual({ degrees: '180', side: null });
		expect([
			wrapLongitude(190),
			wrapLongitude(-190),
			wrapLongitude(180),
			wrapLongitude(-80)
		]).toEqual([-170, 170, 180, -80]);
	});
});
