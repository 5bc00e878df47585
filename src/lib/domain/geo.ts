// Places on the earth: a point and distances (typed-point.ts reads one people typed).
// Used by the supply log (sites) and the asset map. Pure TypeScript.
import * as v from 'valibot';

export const PointSchema = v.object({
	lat: v.pipe(v.number(), v.finite(), v.minValue(-90), v.maxValue(90)),
	lon: v.pipe(v.number(), v.finite(), v.minValue(-180), v.maxValue(180))
});
export type Point = v.InferOutput<typeof PointSchema>;

/** Great-circle distance in metres (haversine, mean earth radius). */
export function distanceMetres(a: Point, b: Point): number {
	const R = 6_371_008.8;
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLon = (b.lon - a.lon) * rad;
	const h =
		Math.sin(dLat / 2) ** 2 +
		Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
