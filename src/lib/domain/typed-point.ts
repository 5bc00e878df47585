// A point on the earth as a person types it — "25.7743, -80.1937", or with
// decimal commas, "25,7743; -80,1937". Says why when it is not one, for the
// view to put in words.
//
// Not read with the person's number reader: a coordinate is never above 180,
// so "19.432" is nineteen point four three two in every language, never
// nineteen thousand (the reader would take a lone separator before three
// digits as a thousands separator).
import * as v from 'valibot';
import { PointSchema, type Point } from './geo';

export type TypedPoint =
	{ ok: true; point: Point | null } | { ok: false; problem: 'not-a-point' | 'off-the-earth' };

/**
 * The two numbers of `input`: apart by a semicolon, a space, or a comma
 * followed by a space; a lone comma between them ("25.7,-80.1") parts them too.
 */
function twoNumbers(input: string): string[] {
	const parts = input.split(/\s*;\s*|,\s+|\s+/).filter(Boolean);
	if (parts.length === 1 && parts[0]!.split(',').length === 2) return parts[0]!.split(',');
	return parts;
}

/** One coordinate: digits with at most one decimal mark, a point or a comma. */
function readCoordinate(text: string): number {
	return /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
}

/** Read "lat, lon" (a point or a comma as the decimal mark); empty → null. */
export function readPoint(input: string): TypedPoint {
	const text = input.trim();
	if (text === '') return { ok: true, point: null };
	const numbers = twoNumbers(text).map(readCoordinate);
	if (numbers.length !== 2 || numbers.some((n) => !Number.isFinite(n)))
		return { ok: false, problem: 'not-a-point' };
	const result = v.safeParse(PointSchema, { lat: numbers[0], lon: numbers[1] });
	return result.success
		? { ok: true, point: result.output }
		: { ok: false, problem: 'off-the-earth' };
}
