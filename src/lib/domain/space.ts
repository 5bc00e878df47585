// A space's own description and its members, as read from the doc.
import * as v from 'valibot';
import type { MemberId } from './ids';
import { migrateRecord } from './versions';

export const SPACE_NAME_MAX = 80;

export const SpaceMetaSchema = v.object({
	name: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(1, 'a name is required'),
		v.maxLength(SPACE_NAME_MAX)
	),
	description: v.optional(v.pipe(v.string(), v.maxLength(1000)), ''),
	schemaVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
	createdAt: v.pipe(v.number(), v.finite(), v.minValue(0))
});
export type SpaceMeta = v.InferOutput<typeof SpaceMetaSchema>;

/**
 * The description as read, field by field: a field a peer wrote badly is
 * null (the description: empty) and named in `unreadable`, and costs only
 * itself, not the whole description.
 */
export type SpaceMetaRead = { [K in keyof SpaceMeta]: SpaceMeta[K] | null } & {
	description: string;
	unreadable: (keyof SpaceMeta)[];
};

export const META_FIELDS = Object.keys(SpaceMetaSchema.entries) as (keyof SpaceMeta)[];

/** A stored field as the doc layer read it: its plain value, or past the read bounds. */
export type StoredField = { ok: true; value: unknown } | { ok: false };

/**
 * Read the description from the fields that are there (absent ones are left
 * out of `fields`). Null when none is there yet: the description has not arrived.
 */
export function parseSpaceMeta(
	fields: Partial<Record<keyof SpaceMeta, StoredField>>
): SpaceMetaRead | null {
	if (Object.keys(fields).length === 0) return null;
	const read: SpaceMetaRead = {
		name: null,
		description: '',
		schemaVersion: null,
		createdAt: null,
		unreadable: []
	};
	for (const field of META_FIELDS) {
		const stored = fields[field];
		if (!stored) continue;
		const result = stored.ok ? v.safeParse(SpaceMetaSchema.entries[field], stored.value) : null;
		if (result?.success) Object.assign(read, { [field]: result.output });
		else read.unreadable.push(field);
	}
	return read;
}

export const DISPLAY_NAME_MAX = 60;

export const MemberSchema = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(DISPLAY_NAME_MAX)),
	color: v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i)),
	joinedAt: v.pipe(v.number(), v.finite(), v.minValue(0))
});
export type Member = v.InferOutput<typeof MemberSchema>;

/** A member record read from the doc, or null when it cannot be read. */
export function parseMember(raw: unknown): Member | null {
	const migrated = migrateRecord('member', raw);
	if (!migrated.ok) return null;
	const result = v.safeParse(MemberSchema, migrated.value);
	return result.success ? result.output : null;
}

/** Members as read: the readable ones by id, and the ids of those that could not be read. */
export interface MembersRead {
	members: Map<MemberId, Member>;
	/** Listed, never dropped silently; in id order. */
	unreadable: string[];
}

/**
 * Why a typed name cannot be used. A reason, not a sentence: the form says
 * it in the person's language.
 */
export type NameProblem = { problem: 'empty' } | { problem: 'too-long'; max: number };

/** A readable display name, or why not. */
export function checkDisplayName(
	input: string
): { ok: true; name: string } | ({ ok: false } & NameProblem) {
	const name = input.trim();
	if (name.length === 0) return { ok: false, problem: 'empty' };
	if (name.length > DISPLAY_NAME_MAX)
		return { ok: false, problem: 'too-long', max: DISPLAY_NAME_MAX };
	return { ok: true, name };
}

/** A space name, or why not. */
export function checkSpaceName(
	input: string
): { ok: true; name: string } | ({ ok: false } & NameProblem) {
	const name = input.trim();
	if (name.length === 0) return { ok: false, problem: 'empty' };
	if (name.length > SPACE_NAME_MAX) return { ok: false, problem: 'too-long', max: SPACE_NAME_MAX };
	return { ok: true, name };
}

/** Colors that stay readable on light backgrounds; picked from the member id. */
const MEMBER_COLORS = [
	'#b3261e',
	'#0b57d0',
	'#146c2e',
	'#8e24aa',
	'#a15c00',
	'#00696f',
	'#5d4037',
	'#c2185b'
];

export function colorFor(memberId: string): string {
	let hash = 0;
	for (const char of memberId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return MEMBER_COLORS[hash % MEMBER_COLORS.length] ?? '#0b57d0';
}
