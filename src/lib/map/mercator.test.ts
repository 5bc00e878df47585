import { describe, expect, it } from 'vitest';
import { fromWorld, sheetFor, toWorld } from './mercator';

describe('mercator sheet', () => {
	it('goes from points to world pixels and back', () => {
		for (const point of [
			{ lat: 0, lon: 0 },
			{ lat: 25.7743, lon: -80.1937 },
			{ lat: -33.86, lon: 151.21 }
		]) {
			const { x, y } = toWorld(point);
			const back = fromWorld(x, y);
			expect(back.lat).toBeCloseTo(point.lat, 9);
			expect(back.lon).toBeCloseTo(point.lon, 9);
		}
		expect(toWorld({ lat: 0, lon: 0 })).toEqual({ x: 128, y: 128 });
	});

	it('lays points out inside the sheet, north up, and reads places back as points', () => {
		const points = [
			{ lat: 25.78, lon: -80.2 },
			{ lat: 25.76, lon: -80.18 }
		];
		const sheet = sheetFor(points, 1000);
		const [north, south] = points.map((p) => sheet.place(p));
		for (const p of [north!, south!]) {
			expect(p.x).toBeGreaterThan(0);
			expect(p.x).toBeLessThan(sheet.width);
			expect(p.y).toBeGreaterThan(0);
			expect(p.y).toBeLessThan(sheet.height);
		}
		expect(north!.y).toBeLessThan(south!.y);
		expect(north!.x).toBeLessThan(south!.x);
		const back = sheet.point(north!.x, north!.y);
		expect(back.lat).toBeCloseTo(25.78, 9);
		expect(Math.max(sheet.width, sheet.height)).toBe(1000);
	});

	it('shows the whole world with no points, and a neighborhood around one point', () => {
		expect(sheetFor([], 512)).toMatchObject({ width: 512, height: 512 });
		const one = sheetFor([{ lat: 10, lon: 10 }], 1000);
		const p = one.place({ lat: 10, lon: 10 });
		expect(p.x).toBeCloseTo(500, 0);
		expect(p.y).toBeCloseTo(500, 0);
	});
});
