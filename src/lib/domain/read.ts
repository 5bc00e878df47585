// A record read from the doc — a peer's data, untrusted — as a view sees it:
// a valid value, or an unreadable record that is still listed, with why.
import * as v from 'valibot';
import { describeIssues } from './issues';
import { isIdLike } from './ids';
import { migrateRecord, type RecordType } from './versions';

export type Read<T> = { ok: true; value: T } | { ok: false; id: string; problem: string };

/** Why a key that is not one of our ids was not read (junk, not a record). */
export const MALFORMED_ID = 'malformed id';

/**
 * The order unreadable records are listed in: records under real ids first
 * (worth a look), junk keys after them (a peer can write thousands), by id.
 */
export function byUnreadableOrder(
	a: { id: string; problem: string },
	b: { id: string; problem: string }
): number {
	const junk = Number(a.problem === MALFORMED_ID) - Number(b.problem === MALFORMED_ID);
	return junk || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Bring `raw` up to its type's current version, check it against `schema`,
 * and give the record its id (from the map key).
 */
export function parseWith<S extends v.GenericSchema, T>(
	type: RecordType,
	schema: S,
	idValue: string,
	raw: unknown
): Read<T> {
	if (!isIdLike(idValue)) return { ok: false, id: idValue, problem: MALFORMED_ID };
	const migrated = migrateRecord(type, raw);
	if (!migrated.ok) return { ok: false, id: idValue, problem: migrated.problem };
	const result = v.safeParse(schema, migrated.value);
	if (!result.success) return { ok: false, id: idValue, problem: describeIssues(result.issues) };
	return { ok: true, value: { ...(result.output as object), id: idValue } as T };
}
