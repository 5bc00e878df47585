// Rules of the needs & offers board: expiry, filters and ordering.
// Pure functions over validated posts; views call them, never re-implement them.
import type { MemberId } from './ids';
import type { Post, PostKind, PostRead, PostStatus, Urgency } from './post';
import { byUnreadableOrder } from './read';
import { isAheadOfClock } from './time';

export const URGENCY_RANK: Record<Urgency, number> = { critical: 3, high: 2, normal: 1, low: 0 };

export function isExpired(post: Post, now: number): boolean {
	return post.expiresAt !== null && post.expiresAt <= now && isActive(post.status);
}

/**
 * Whether a post says it was written or changed further in the future than
 * any clock is believed to be off (a wrong clock, or forged to stay on top).
 * Such a post is shown, flagged, and sorted below every other.
 */
export function isDatedAhead(post: Post, now: number): boolean {
	return isAheadOfClock(post.createdAt, now) || isAheadOfClock(post.updatedAt, now);
}

/** Open and in-progress posts still ask something of the group. */
export function isActive(status: PostStatus): boolean {
	return status === 'open' || status === 'in-progress';
}

export function claimCount(post: Post): number {
	return Object.keys(post.claims).length;
}

export function hasClaimed(post: Post, member: MemberId): boolean {
	return Object.hasOwn(post.claims, member);
}

export type StatusFilter = PostStatus | 'active' | 'expired' | 'all';

export interface BoardFilter {
	kind: PostKind | 'all';
	category: string;
	status: StatusFilter;
	text: string;
}

export const DEFAULT_FILTER: BoardFilter = {
	kind: 'all',
	category: '',
	status: 'active',
	text: ''
};

export type BoardOrder = 'urgency' | 'newest' | 'updated';

function matchesStatus(post: Post, status: StatusFilter, now: number): boolean {
	switch (status) {
		case 'all':
			return true;
		case 'active':
			// Expired posts stay in the active list, marked as expired: hiding
			// them silently would make a still-real need vanish.
			return isActive(post.status);
		case 'expired':
			return isExpired(post, now);
		default:
			return post.status === status;
	}
}

function matchesText(post: Post, needle: string): boolean {
	if (needle === '') return true;
	const haystack = [post.title, post.details, post.category, post.locationText, post.unit]
		.join('\n')
		.toLowerCase();
	return needle
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean)
		.every((word) => haystack.includes(word));
}

export function matchesFilter(post: Post, filter: BoardFilter, now: number): boolean {
	return (
		(filter.kind === 'all' || post.kind === filter.kind) &&
		(filter.category === '' || post.category.toLowerCase() === filter.category.toLowerCase()) &&
		matchesStatus(post, filter.status, now) &&
		matchesText(post, filter.text.trim())
	);
}

/** What a post is sorted by, worked out once per post rather than at every comparison. */
interface SortKey {
	post: Post;
	/** 1 when dated ahead of the clock: below every other post. */
	ahead: number;
	/** 1 when expired (urgency order only): below live posts of the same urgency. */
	expired: number;
	/** Higher first (urgency order only). */
	rank: number;
	/** Newer first. */
	time: number;
}

function sortKey(post: Post, order: BoardOrder, now: number): SortKey {
	const byUrgency = order === 'urgency';
	return {
		post,
		ahead: Number(isDatedAhead(post, now)),
		expired: byUrgency ? Number(isExpired(post, now)) : 0,
		rank: byUrgency ? URGENCY_RANK[post.urgency] : 0,
		time: order === 'updated' ? post.updatedAt : post.createdAt
	};
}

function compare(a: SortKey, b: SortKey): number {
	// A time from the future cannot buy the top of the board, in any order.
	return (
		a.ahead - b.ahead ||
		a.expired - b.expired ||
		b.rank - a.rank ||
		b.time - a.time ||
		(a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0)
	);
}

/**
 * The board as shown: readable posts that match, in order; unreadable
 * records are listed after them so they are never silently dropped.
 */
export function arrangeBoard(
	records: Iterable<PostRead>,
	filter: BoardFilter,
	order: BoardOrder,
	now: number
): { posts: Post[]; unreadable: Extract<PostRead, { ok: false }>[] } {
	const posts: Post[] = [];
	const unreadable: Extract<PostRead, { ok: false }>[] = [];
	const keys: SortKey[] = [];
	for (const record of records) {
		if (!record.ok) unreadable.push(record);
		else if (matchesFilter(record.post, filter, now)) keys.push(sortKey(record.post, order, now));
	}
	// Keys made once: a board of 20,000 posts is compared some 300,000 times.
	keys.sort(compare);
	for (const key of keys) posts.push(key.post);
	unreadable.sort(byUnreadableOrder);
	return { posts, unreadable };
}

export function categoriesIn(records: Iterable<PostRead>): string[] {
	const seen = new Set<string>();
	for (const record of records) {
		if (record.ok && record.post.category) seen.add(record.post.category.toLowerCase());
	}
	return [...seen].sort();
}
