// The grid drawn over a geographic map that has no tiles under it, so a
// blank map still says where it is: meridians and parallels at a round step
// that gives a few lines across the view, and how to label them. Pure.

/** Round steps in degrees, from a world view down to a few metres. */
const STEPS = [
	30, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001
];

/** The largest round step that puts at least `lines` lines across `span` degrees. */
export function gridStep(span: number, lines = 3): number {
	return STEPS.find((step) => span / step >= lines) ?? STEPS.at(-1)!;
}

/** Decimals a step's multiples need: 0 for 5°, 1 for 0.5°, 2 for 0.05°. */
export function decimalsFor(step: number): number {
	return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** Multiples of `step` from `min` to `max`, without floating-point dust. */
export function gridValues(min: number, max: number, step: number): number[] {
	const decimals = decimalsFor(step);
	const values: number[] = [];
	for (let k = Math.ceil(min / step); k * step <= max; k++)
		values.push(Number((k * step).toFixed(decimals)));
	return values;
}

/** A longitude seen on a world copy (beyond ±180°) as the one it repeats. */
export function wrapLongitude(lon: number): number {
	const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
	return wrapped === -180 && lon > 0 ? 180 : wrapped;
}

/** A grid line's label, in parts the view puts in words: "25.5° N", "80.2° W", "0°". */
export function gridLabel(
	value: number,
	axis: 'lat' | 'lon',
	decimals: number
): { degrees: string; side: 'N' | 'S' | 'E' | 'W' | null } {
	const degrees = Math.abs(value).toFixed(decimals);
	if (Number(degrees) === 0 || (axis === 'lon' && Number(degrees) === 180))
		return { degrees, side: null };
	if (axis === 'lat') return { degrees, side: value > 0 ? 'N' : 'S' };
	return { degrees, side: value > 0 ? 'E' : 'W' };
}
