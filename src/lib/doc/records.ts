// Records kept under a root map, for the doc modules: a record edited field
// by field lives in a nested Y.Map, made here from plain fields and updated
// only where a field really changed (so concurrent edits of other fields
// merge); reading turns whatever a peer stored into a plain value for the
// domain's parsers. One place, so every record type behaves the same.
import * as Y from 'yjs';
import { stampVersion, type RecordType } from '../domain/versions';

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

/** Whether two field values are the same (field values are plain JSON). */
function sameValue(a: unknown, b: unknown): boolean {
	return a === b || JSON.stringify(a) === JSON.stringify(b);
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

/** The plain shape of one stored record, whatever a peer put there. */
export function plainRecord(value: unknown): unknown {
	return value instanceof Y.Map ? value.toJSON() : value;
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
