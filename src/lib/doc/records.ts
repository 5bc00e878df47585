// Records kept under a root map, for the doc modules: a record edited field
// by field lives in a nested Y.Map, made here from plain fields and updated
// only where a field really changed (so concurrent edits of other fields
// merge); reading turns whatever a peer stored into a plain value for the
// domain's parsers. One place, so every record type behaves the same.
//
// Reading must never throw and never run away, whatever a peer stored: Yjs's
// own toJSON recurses (Y.Maps nested 5,000 deep, a 60 KB update, overflow the
// stack) and copies everything. So reads go through `readPlain`, which walks
// without recursion and gives up, with a reason, past a depth, a number of
// values or a number of characters; the record is then listed as unreadable.
import * as Y from 'yjs';
import { isIdLike } from '../domain/ids';
import { MALFORMED_ID } from '../domain/read';
import { stampVersion, type RecordType } from '../domain/versions';
import { readPlain } from './plain';

/** A new record's Y.Map: its fields (stamped with the type's version), then `extra`. */
export function newRecordMap(
	type: RecordType,
	fields: object,
	extra: Record<string, unknown> = {}
): Y.Map<unknown> {
	const record = new Y.Map<unknown>();
	for (const [key, value] of Object.entries({ ...stampVersion(type, fields), ...extra }))
		record.set(key, value);
	return record;
}

/**
 * Whether two field values are the same (what we write is plain JSON). A Yjs
 * type a peer put there is never the same, and is not stringified: its
 * toJSON recurses without bound.
 */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Write the fields of `fields` that differ from what `record` holds (undefined
 * means "leave as is"); returns whether anything was written. Call inside a
 * transaction.
 */
export function setChangedFields(record: Y.Map<unknown>, fields: object): boolean {
	let changed = false;
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined || sameValue(record.get(key), value)) continue;
		record.set(key, value);
		changed = true;
	}
	return changed;
}

/** A record that could not be read, as views list it. */
export interface Unreadable {
	ok: false;
	id: string;
	problem: string;
}

/** Longest key shown as it is; a longer one (a peer's junk) is shortened for the list. */
const SHOWN_KEY_MAX = 80;

/**
 * A map key as an unreadable row shows it: as it is when short, else its
 * start and a hash of the whole, so two long keys stay two rows.
 */
export function shownKey(key: string): string {
	if (key.length <= SHOWN_KEY_MAX) return key;
	let hash = 0x811c9dc5;
	for (let index = 0; index < key.length; index++)
		hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193) >>> 0;
	return `${key.slice(0, 32)}… (${key.length} characters, #${hash.toString(36)})`;
}

/**
 * Read one stored record with the domain's `parse`: a key that is not one of
 * our ids is refused before its value is looked at (a map of 100,000 junk
 * keys costs a test each), the value is read within bounds, and anything
 * that still goes wrong makes the record unreadable instead of throwing.
 */
export function readRecord<R extends { ok: boolean }>(
	key: string,
	value: unknown,
	parse: (id: string, raw: unknown) => R
): R | Unreadable {
	if (!isIdLike(key)) return { ok: false, id: shownKey(key), problem: MALFORMED_ID };
	try {
		const plain = readPlain(value);
		if (!plain.ok) return { ok: false, id: key, problem: plain.problem };
		return parse(key, plain.value);
	} catch (error) {
		return { ok: false, id: key, problem: `could not be read: ${String(error).slice(0, 200)}` };
	}
}

/**
 * Which records of `parent` (a map of records, each a Y.Map or a plain value)
 * a batch of Yjs events touched, so a view can re-read only those instead of
 * re-validating all of them.
 */
export function touchedKeys(
	events: Y.YEvent<Y.AbstractType<unknown>>[],
	parent: Y.Map<unknown>
): Set<string> | 'all' {
	const ids = new Set<string>();
	for (const event of events) {
		if (event.target === parent && event instanceof Y.YMapEvent) {
			for (const key of event.keysChanged) ids.add(key);
			continue;
		}
		const first = event.path[0];
		if (typeof first !== 'string') return 'all';
		ids.add(first);
	}
	return ids;
}
