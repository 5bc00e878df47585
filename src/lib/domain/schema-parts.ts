// Small schema pieces every record type is built from, and checking what a
// person typed into a form against a record's field schema. Pure TypeScript.
import * as v from 'valibot';
import { describeIssues } from './issues';
import { isIdLike, type Brand, type MemberId } from './ids';

/** A string of at most `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** The last instant a JavaScript Date can hold; a later "time" cannot even be shown. */
export const LATEST_TIME = 8.64e15;
/** Milliseconds since 1970, as Date.now() gives. (How far ahead is believed: time.ts.) */
export const timestamp = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LATEST_TIME));
/** One of our ids, branded. */
export const anId = <T extends string>() => v.custom<Brand<string, T>>(isIdLike, 'not an id');
export const memberId = v.custom<MemberId>(isIdLike, 'not a member id');
/** A calendar day, YYYY-MM-DD. */
export const isoDate = v.pipe(
	v.string(),
	v.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)')
);

/**
 * Check form input against `schema`: the fields, or one message per bad
 * field (from `messages`); anything else wrong is reported on `fallback`.
 */
export function validateFields<S extends v.GenericSchema, K extends string>(
	schema: S,
	messages: Record<K, string>,
	fallback: K,
	input: unknown
): { ok: true; fields: v.InferOutput<S> } | { ok: false; errors: Partial<Record<K, string>> } {
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, fields: result.output };
	const errors: Partial<Record<K, string>> = {};
	for (const issue of result.issues) {
		const key = issue.path?.[0]?.key as K | undefined;
		if (key !== undefined && key in messages) errors[key] = messages[key];
	}
	if (Object.keys(errors).length === 0) errors[fallback] = describeIssues(result.issues);
	return { ok: false, errors };
}
