// The space's description, its members and the board, as typed reads and
// writes over the Y.Doc (root names live in roots.ts). Reads validate (peers
// are untrusted); writes go through `doc.transact` with a named origin.
//
//   posts: postId -> Y.Map of fields, with `claims` a nested Y.Map
//          memberId -> { at, note } so concurrent claims merge
import * as Y from 'yjs';
import type { MemberId, PostId } from '../domain/ids';
import {
	parsePost,
	type Claim,
	type PostFields,
	type PostRead,
	type PostStatus
} from '../domain/post';
import {
	META_FIELDS,
	parseMember,
	parseSpaceMeta,
	type Member,
	type MembersRead,
	type SpaceMeta,
	type SpaceMetaRead,
	type StoredField
} from '../domain/space';
import { SPACE_SCHEMA_VERSION, stampVersion } from '../domain/versions';

import { readPlain } from './plain';
import { newRecordMap, readRecord, setChangedFields } from './records';
import { ORIGINS, rootMap } from './roots';

const LOCAL_ORIGIN = ORIGINS.local;

export const metaMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'meta');
export const membersMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'members');
export const postsMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'posts');

/**
 * Write a new space's description; does nothing if the doc already has one.
 * A space made under sync v2 has schema version 2 (SIGNED_SCHEMA_VERSION).
 */
export function initSpace(
	doc: Y.Doc,
	name: string,
	createdAt: number,
	description = '',
	schemaVersion = SPACE_SCHEMA_VERSION
): void {
	doc.transact(() => {
		const meta = metaMap(doc);
		if (meta.has('name')) return;
		meta.set('name', name);
		meta.set('description', description);
		meta.set('schemaVersion', schemaVersion);
		meta.set('createdAt', createdAt);
	}, LOCAL_ORIGIN);
}

/** The description, field by field: one bad field costs only itself (see SpaceMetaRead). */
export function readMeta(doc: Y.Doc): SpaceMetaRead | null {
	const meta = metaMap(doc);
	const fields: Partial<Record<keyof SpaceMeta, StoredField>> = {};
	for (const field of META_FIELDS) if (meta.has(field)) fields[field] = readPlain(meta.get(field));
	return parseSpaceMeta(fields);
}

export function renameSpace(doc: Y.Doc, name: string): void {
	doc.transact(() => metaMap(doc).set('name', name), LOCAL_ORIGIN);
}

/** Record or update this device's member entry (only when it changed: no tombstone churn). */
export function upsertMember(doc: Y.Doc, id: MemberId, member: Member): void {
	const stored = membersMap(doc).get(id);
	// Members are plain JSON: a Yjs type under our id is a peer's doing, and is
	// overwritten (deleting it is safe however deep it nests: yjs-nesting.ts).
	const current = (stored instanceof Y.AbstractType ? undefined : stored) as
		Partial<Member> | undefined;
	if (current && current.name === member.name && current.color === member.color) return;
	const joinedAt = typeof current?.joinedAt === 'number' ? current.joinedAt : member.joinedAt;
	doc.transact(
		() => membersMap(doc).set(id, stampVersion('member', { ...member, joinedAt })),
		LOCAL_ORIGIN
	);
}

/** The space's members, and the records that could not be read (listed, not dropped). */
export function readMembership(doc: Y.Doc): MembersRead {
	const members = new Map<MemberId, Member>();
	const unreadable: string[] = [];
	membersMap(doc).forEach((value, key) => {
		const read = readRecord(key, value, (id, raw) => {
			const member = parseMember(raw);
			return member
				? { ok: true as const, member }
				: { ok: false as const, id, problem: 'not a member record' };
		});
		if (read.ok) members.set(key as MemberId, read.member);
		else unreadable.push(read.id);
	});
	unreadable.sort();
	return { members, unreadable };
}

export function readMembers(doc: Y.Doc): Map<MemberId, Member> {
	return readMembership(doc).members;
}

function postMap(doc: Y.Doc, id: PostId): Y.Map<unknown> | null {
	const value = postsMap(doc).get(id);
	return value instanceof Y.Map ? value : null;
}

export function readPost(doc: Y.Doc, id: string): PostRead | null {
	const posts = postsMap(doc);
	if (!posts.has(id)) return null;
	return readRecord(id, posts.get(id), parsePost);
}

export function readAllPosts(doc: Y.Doc): Map<string, PostRead> {
	const records = new Map<string, PostRead>();
	postsMap(doc).forEach((value, id) => records.set(id, readRecord(id, value, parsePost)));
	return records;
}

export function createPost(
	doc: Y.Doc,
	id: PostId,
	fields: PostFields,
	by: MemberId,
	now: number
): void {
	doc.transact(() => {
		const post = newRecordMap('post', fields, {
			status: 'open' satisfies PostStatus,
			createdBy: by,
			createdAt: now,
			updatedAt: now,
			claims: new Y.Map<Claim>()
		});
		postsMap(doc).set(id, post);
	}, LOCAL_ORIGIN);
}

/** Write only the fields that changed, so concurrent edits of other fields merge. */
export function updatePost(
	doc: Y.Doc,
	id: PostId,
	fields: Partial<PostFields>,
	now: number,
	by?: MemberId
): boolean {
	const post = postMap(doc, id);
	if (!post) return false;
	doc.transact(() => {
		if (!setChangedFields(post, fields)) return;
		post.set('updatedAt', now);
		if (by) post.set('updatedBy', by);
	}, LOCAL_ORIGIN);
	return true;
}

/** Which write the post's current status is (Yjs item id), or null. */
function statusWrite(post: Y.Map<unknown>): string | null {
	const item = post._map.get('status');
	return item ? `${item.id.client}:${item.id.clock}` : null;
}

/** Take back one change this device made, while the offer lasts. */
export interface Undoable {
	/** Undo it; false when someone changed the same thing since (their change stands). */
	undo(): boolean;
}

/**
 * Set a post's status, and return how to set it back — only while nobody
 * has changed its status since. (Yjs's UndoManager would also restore the
 * post's updatedAt over a peer's newer edit, and can leave the record
 * without one: the randomized state test found it.)
 */
export function setPostStatusUndoably(
	doc: Y.Doc,
	id: PostId,
	status: PostStatus,
	now: number,
	by?: MemberId
): Undoable | null {
	const post = postMap(doc, id);
	if (!post) return null;
	const before = post.get('status');
	if (before === status || typeof before !== 'string') {
		setPostStatus(doc, id, status, now, by);
		return null;
	}
	setPostStatus(doc, id, status, now, by);
	// Ours is still the status only while the value in the map is the very one
	// we wrote (its Yjs item id): a peer who set any status since, even the same
	// one, wrote another item. Other fields (a retitle) do not matter.
	const ours = statusWrite(post);
	const stillOurs = () => ours !== null && statusWrite(post) === ours;
	return {
		undo: () => {
			if (!stillOurs()) return false;
			setPostStatus(doc, id, before as PostStatus, Date.now(), by);
			return true;
		}
	};
}

export function setPostStatus(
	doc: Y.Doc,
	id: PostId,
	status: PostStatus,
	now: number,
	by?: MemberId
): boolean {
	const post = postMap(doc, id);
	if (!post) return false;
	doc.transact(() => {
		post.set('status', status);
		post.set('updatedAt', now);
		if (by) post.set('updatedBy', by);
	}, LOCAL_ORIGIN);
	return true;
}

function claimsOf(post: Y.Map<unknown>): Y.Map<unknown> {
	const claims = post.get('claims');
	if (claims instanceof Y.Map) return claims;
	// A post written by a peer without a claims map: give it one.
	const fresh = new Y.Map<unknown>();
	post.set('claims', fresh);
	return fresh;
}

/** Claims are keyed by member: two people claiming at once both stay. */
export function claimPost(doc: Y.Doc, id: PostId, member: MemberId, claim: Claim): boolean {
	const post = postMap(doc, id);
	if (!post) return false;
	doc.transact(() => claimsOf(post).set(member, claim), LOCAL_ORIGIN);
	return true;
}

export function unclaimPost(doc: Y.Doc, id: PostId, member: MemberId): boolean {
	const post = postMap(doc, id);
	if (!post) return false;
	doc.transact(() => {
		const claims = post.get('claims');
		if (claims instanceof Y.Map) claims.delete(member);
	}, LOCAL_ORIGIN);
	return true;
}
