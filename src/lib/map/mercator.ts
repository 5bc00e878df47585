// Web Mercator, for the plain view of points on the earth that is drawn when
// the browser has no WebGL: points become pixels on a blank sheet, laid out
// the way a web map would, and back.
import type { Point } from '../domain/geo';

const TILE = 256;
const MAX_LAT = 85.05112878;

/** Pixels at zoom 0 (the whole world is 256 × 256). */
export function toWorld({ lat, lon }: Point): { x: number; y: number } {
	const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
	const sin = Math.sin((clamped * Math.PI) / 180);
	return {
		x: ((lon + 180) / 360) * TILE,
		y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * TILE
	};
}

export function fromWorld(x: number, y: number): Point {
	const lon = (x / TILE) * 360 - 180;
	const n = Math.PI - (2 * Math.PI * y) / TILE;
	const lat = (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
	return { lat, lon };
}

export interface Sheet {
	width: number;
	height: number;
	/** A point's place on the sheet, in sheet pixels. */
	place(point: Point): { x: number; y: number };
	/** The point at a place on the sheet. */
	point(x: number, y: number): Point;
}

/**
 * A sheet about `side` pixels on its longer edge that holds every point with
 * a margin; with no points, the whole world.
 */
export function sheetFor(points: readonly Point[], side = 2000): Sheet {
	const world = points.map(toWorld);
	let [minX, minY, maxX, maxY] = [0, 0, TILE, TILE];
	if (world.length > 0) {
		minX = Math.min(...world.map((p) => p.x));
		maxX = Math.max(...world.map((p) => p.x));
		minY = Math.min(...world.map((p) => p.y));
		maxY = Math.max(...world.map((p) => p.y));
		// At least a neighborhood's width (about 1 km at the equator), and a margin.
		const span = Math.max(maxX - minX, maxY - minY, 0.006);
		const pad = span * 0.15;
		const cx = (minX + maxX) / 2;
		const cy = (minY + maxY) / 2;
		const half = span / 2 + pad;
		[minX, maxX, minY, maxY] = [cx - half, cx + half, cy - half, cy + half];
	}
	const scale = side / Math.max(maxX - minX, maxY - minY);
	return {
		width: Math.round((maxX - minX) * scale),
		height: Math.round((maxY - minY) * scale),
		place(point) {
			const p = toWorld(point);
			return { x: (p.x - minX) * scale, y: (p.y - minY) * scale };
		},
		point(x, y) {
			return fromWorld(minX + x / scale, minY + y / scale);
		}
	};
}
