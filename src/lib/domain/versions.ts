// Versions of the space's records, and the steps that bring an older record
// up to the shape this app reads (as tldraw keeps a migration beside each
// record type). Steps run when a record is read, on a copy: the shared doc
// is never rewritten, so devices still on an older app keep reading what
// they wrote and what others write in the formats they know.
//
// A record carries its version in the field `v`; a record without one is
// version 1. To change a record's shape: raise its `current`, add the step
// `up[current]` that turns a record of the version before into the new
// shape, and add a stored example of the old version to versions.test.ts.
// The test fails when a version has no step or no example.
//
// The space as a whole has a schema version (meta.schemaVersion): raise
// SPACE_SCHEMA_VERSION only for a change older apps must not write into
// (they then say the space needs a newer app, instead of behaving oddly).
// See docs/versioning.md.

export const SPACE_SCHEMA_VERSION = 1;
/**
 * A space whose changes go through signed logs (sync v2, docs/sync-protocol.md,
 * "Migrating"): an app that knows only version 1 would write changes no signed
 * log carries, which devices on v2 never get. Known to an app syncing v2.
 */
export const SIGNED_SCHEMA_VERSION = 2;

export const RECORD_TYPES = [
	'post',
	'member',
	'site',
	'item',
	'entry',
	'asset',
	'assetLink',
	'baseMap'
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** The field a record keeps its version in. */
export const VERSION_FIELD = 'v';

export type MigrationStep = (record: Record<string, unknown>) => Record<string, unknown>;

export interface RecordVersions {
	/** The version this app writes and reads natively. */
	current: number;
	/** `up[n]` turns a version n − 1 record into version n. */
	up: Record<number, MigrationStep>;
}

export type VersionTable = Record<RecordType, RecordVersions>;

export const RECORD_VERSIONS: VersionTable = {
	post: { current: 1, up: {} },
	member: { current: 1, up: {} },
	site: { current: 1, up: {} },
	item: { current: 1, up: {} },
	entry: { current: 1, up: {} },
	asset: { current: 1, up: {} },
	assetLink: { current: 1, up: {} },
	baseMap: { current: 1, up: {} }
};

export type Migrated = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Bring a raw record (a peer's data, untrusted) up to the current version of
 * its type, on a copy. What is not an object is passed on for the schema to
 * refuse. A record from a newer app is refused with a message that says so.
 */
export function migrateRecord(
	type: RecordType,
	raw: unknown,
	table: VersionTable = RECORD_VERSIONS
): Migrated {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		return { ok: true, value: raw };
	const { [VERSION_FIELD]: stamped, ...fields } = raw as Record<string, unknown>;
	const version = stamped ?? 1;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
		return { ok: false, problem: 'malformed record version' };
	const { current, up } = table[type];
	if (version > current) {
		return {
			ok: false,
			problem: `written by a newer version of Barnraise (record version ${version}; this app reads up to ${current}). Update the app on this device to see it.`
		};
	}
	let record = fields;
	for (let next = version + 1; next <= current; next++) {
		const step = up[next];
		if (!step) return { ok: false, problem: `no migration to record version ${next}` };
		record = step(record);
	}
	return { ok: true, value: record };
}

/** The fields of a new record, stamped with its version when that is past 1. */
export function stampVersion<T extends object>(
	type: RecordType,
	fields: T,
	table: VersionTable = RECORD_VERSIONS
): T {
	const { current } = table[type];
	return current > 1 ? { ...fields, [VERSION_FIELD]: current } : fields;
}

/** Whether a space's schema version is past what this app knows (`known`: 2 when it syncs v2). */
export function needsNewerApp(schemaVersion: number, known = SPACE_SCHEMA_VERSION): boolean {
	return schemaVersion > known;
}
