// A record read from the doc — a peer's data, untrusted — as a view sees it:
// a valid value, or an unreadable record that is still listed, with why.
import * as v from 'valibot';
import { describeIssues } from './issues';
import { isIdLike } from './ids';

export type Read<T> = { ok: true; value: T } | { ok: false; id: string; problem: string };

/** Check `raw` against `schema`, and give the record its id (from the map key). */
export function parseWith<S extends v.GenericSchema, T>(
	schema: S,
	idValue: string,
	raw: unknown
): Read<T> {
	if (!isIdLike(idValue)) return { ok: false, id: idValue, problem: 'malformed id' };
	const result = v.safeParse(schema, raw);
	if (!result.success) return { ok: false, id: idValue, problem: describeIssues(result.issues) };
	return { ok: true, value: { ...(result.output as object), id: idValue } as T };
}
