import { describe, expect, it } from 'vitest';
import { clusterPins } from './clusters';

describe('pin clusters', () => {
	const view = { cell: 40, width: 400, height: 300 };

	it('gathers pins in one grid cell and leaves lone pins alone', () => {
		const pins = [
			{ id: 'a', sx: 10, sy: 10 },
			{ id: 'b', sx: 30, sy: 20 },
			{ id: 'c', sx: 200, sy: 200 }
		];
		const clusters = clusterPins(pins, view);
		expect(clusters.map((c) => c.pins.map((p) => p.id))).toEqual([['a', 'b'], ['c']]);
		expect(clusters[0]).toMatchObject({ sx: 20, sy: 15 });
	});

	it('draws nothing for pins far off screen, however many', () => {
		const pins = Array.from({ length: 2000 }, (_, i) => ({ id: i, sx: 5000 + i, sy: 10 }));
		expect(clusterPins([...pins, { id: 'here', sx: 5, sy: 5 }], view)).toHaveLength(1);
	});

	it('keeps two thousand pins on screen to at most one marker per cell', () => {
		const pins = Array.from({ length: 2000 }, (_, i) => ({
			id: i,
			sx: (i * 37) % 400,
			sy: (i * 53) % 300
		}));
		const clusters = clusterPins(pins, view);
		expect(clusters.length).toBeLessThanOrEqual(10 * 8);
		expect(clusters.reduce((n, c) => n + c.pins.length, 0)).toBe(2000);
	});
});
