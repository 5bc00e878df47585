// Needs & offers: what a post is, and how untrusted data becomes one.
// Pure TypeScript: no Svelte, no Yjs. Everything read from a peer passes
// through `parsePost` before any view sees it.
import * as v from 'valibot';
import { isIdLike, type MemberId, type PostId } from './ids';
import { parseWith } from './read';
import { memberId, text, timestamp, validateFields } from './schema-parts';

export const POST_KINDS = ['need', 'offer'] as const;
export type PostKind = (typeof POST_KINDS)[number];

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const POST_STATUSES = ['open', 'in-progress', 'done', 'withdrawn'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Suggested categories; any short text is accepted, so a group can add its own. */
export const SUGGESTED_CATEGORIES = [
	'water',
	'food',
	'shelter',
	'medical',
	'hygiene',
	'power',
	'transport',
	'tools',
	'labor',
	'childcare',
	'pets',
	'information',
	'other'
] as const;

export const LIMITS = {
	title: 120,
	details: 4000,
	category: 40,
	unit: 30,
	locationText: 200,
	contact: 200,
	claimNote: 200,
	quantity: 1_000_000_000
} as const;

/** What a claim says: on a need, "I can help"; on an offer, "I need this". */
export const ClaimSchema = v.object({
	at: timestamp,
	note: v.optional(text(LIMITS.claimNote), '')
});
export type Claim = v.InferOutput<typeof ClaimSchema>;

/** The fields a person types in; the rest of a post is bookkeeping. */
export const PostFieldsSchema = v.object({
	kind: v.picklist(POST_KINDS),
	title: v.pipe(
		v.string(),
		v.trim(),
		v.minLength(1, 'a title is required'),
		v.maxLength(LIMITS.title)
	),
	details: v.optional(text(LIMITS.details), ''),
	category: v.optional(text(LIMITS.category), ''),
	quantity: v.optional(
		v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(LIMITS.quantity))),
		null
	),
	unit: v.optional(text(LIMITS.unit), ''),
	urgency: v.optional(v.picklist(URGENCIES), 'normal'),
	locationText: v.optional(text(LIMITS.locationText), ''),
	contact: v.optional(text(LIMITS.contact), ''),
	expiresAt: v.optional(v.nullable(timestamp), null)
});
export type PostFields = v.InferOutput<typeof PostFieldsSchema>;

export const PostSchema = v.object({
	...PostFieldsSchema.entries,
	status: v.picklist(POST_STATUSES),
	createdBy: memberId,
	createdAt: timestamp,
	updatedAt: timestamp,
	/** Who made the latest change (absent on posts from before it was kept). */
	updatedBy: v.optional(v.nullable(memberId), null),
	claims: v.pipe(
		v.record(v.string(), ClaimSchema),
		v.check((claims) => Object.keys(claims).every(isIdLike), 'a claim has a malformed member id')
	)
});

export type Post = Omit<v.InferOutput<typeof PostSchema>, 'claims'> & {
	id: PostId;
	claims: Record<MemberId, Claim>;
};

/** A record as a view sees it: a valid post, or an unreadable one that is still listed. */
export type PostRead = { ok: true; post: Post } | { ok: false; id: string; problem: string };

/** Validate a post read from the doc (a peer's data: untrusted). */
export function parsePost(id: string, raw: unknown): PostRead {
	const read = parseWith<typeof PostSchema, Post>('post', PostSchema, id, raw);
	return read.ok ? { ok: true, post: read.value } : read;
}

/** Which fields a person got wrong; the form says why in their language (limits: LIMITS). */
export type FieldErrors = Partial<Record<keyof PostFields, string>>;

/** Each field reports itself: the view knows the words and the limits. */
const FIELD_REASONS: Record<keyof PostFields, keyof PostFields> = {
	kind: 'kind',
	title: 'title',
	details: 'details',
	category: 'category',
	quantity: 'quantity',
	unit: 'unit',
	urgency: 'urgency',
	locationText: 'locationText',
	contact: 'contact',
	expiresAt: 'expiresAt'
};

/** Validate what a person typed; returns the bad fields (something unforeseen on `title`). */
export function validatePostFields(
	input: unknown
): { ok: true; fields: PostFields } | { ok: false; errors: FieldErrors } {
	return validateFields(PostFieldsSchema, FIELD_REASONS, 'title', input);
}
