import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	arrangeBoard,
	URGENCY_RANK,
	categoriesIn,
	DEFAULT_FILTER,
	isDatedAhead,
	isExpired,
	matchesFilter
} from './board';
import { CLOCK_SKEW_MS } from './time';
import type { MemberId, PostId } from './ids';
import { parsePost, type Post, type PostRead } from './post';
import type { BoardOrder } from './board';

const NOW = 1_700_000_000_000;
const ME = 'member-aaaaaaaa' as MemberId;

function post(overrides: Partial<Post> = {}): Post {
	return {
		id: `post-${Math.random().toString(36).slice(2, 12)}` as PostId,
		kind: 'need',
		title: 'Drinking water',
		details: '',
		category: 'water',
		quantity: null,
		unit: '',
		urgency: 'normal',
		locationText: '',
		contact: '',
		expiresAt: null,
		status: 'open',
		createdBy: ME,
		createdAt: NOW - 1000,
		updatedAt: NOW - 1000,
		updatedBy: null,
		claims: {},
		...overrides
	};
}

const ok = (p: Post): PostRead => ({ ok: true, post: p });

describe('board rules', () => {
	it('marks a post expired only when its expiry has passed and it is still active', () => {
		expect(isExpired(post({ expiresAt: NOW - 1 }), NOW)).toBe(true);
		expect(isExpired(post({ expiresAt: NOW + 1 }), NOW)).toBe(false);
		expect(isExpired(post({ expiresAt: null }), NOW)).toBe(false);
		expect(isExpired(post({ expiresAt: NOW - 1, status: 'done' }), NOW)).toBe(false);
	});

	it('keeps expired posts in the active view, sorted below live ones of equal urgency', () => {
		const live = post({ title: 'live' });
		const expired = post({ title: 'expired', expiresAt: NOW - 5, createdAt: NOW });
		const { posts } = arrangeBoard([ok(expired), ok(live)], DEFAULT_FILTER, 'urgency', NOW);
		expect(posts.map((p) => p.title)).toEqual(['live', 'expired']);
	});

	it('filters by kind, category, status and all words of the text', () => {
		const water = post({ title: 'Bottled water', locationText: 'Main St church' });
		const tarp = post({ kind: 'offer', title: 'Tarps', category: 'shelter' });
		const done = post({ title: 'Old water', status: 'done' });
		expect(matchesFilter(tarp, { ...DEFAULT_FILTER, kind: 'offer' }, NOW)).toBe(true);
		expect(matchesFilter(water, { ...DEFAULT_FILTER, kind: 'offer' }, NOW)).toBe(false);
		expect(matchesFilter(tarp, { ...DEFAULT_FILTER, category: 'Shelter' }, NOW)).toBe(true);
		expect(matchesFilter(done, DEFAULT_FILTER, NOW)).toBe(false);
		expect(matchesFilter(done, { ...DEFAULT_FILTER, status: 'done' }, NOW)).toBe(true);
		expect(matchesFilter(water, { ...DEFAULT_FILTER, text: 'church water' }, NOW)).toBe(true);
		expect(matchesFilter(water, { ...DEFAULT_FILTER, text: 'church tarps' }, NOW)).toBe(false);
	});

	it('sorts by urgency then recency, or by recency alone', () => {
		const low = post({ title: 'low', urgency: 'low', createdAt: NOW });
		const critical = post({ title: 'critical', urgency: 'critical', createdAt: NOW - 500 });
		const high = post({ title: 'high', urgency: 'high', createdAt: NOW - 100 });
		const records = [low, critical, high].map(ok);
		expect(arrangeBoard(records, DEFAULT_FILTER, 'urgency', NOW).posts.map((p) => p.title)).toEqual(
			['critical', 'high', 'low']
		);
		expect(arrangeBoard(records, DEFAULT_FILTER, 'newest', NOW).posts.map((p) => p.title)).toEqual([
			'low',
			'high',
			'critical'
		]);
	});

	it('orders any posts as the rules say, compared pair by pair', () => {
		// The rules, written out as one comparison of two posts.
		const rule = (order: BoardOrder) => (a: Post, b: Post) =>
			Number(isDatedAhead(a, NOW)) - Number(isDatedAhead(b, NOW)) ||
			(order === 'urgency'
				? Number(isExpired(a, NOW)) - Number(isExpired(b, NOW)) ||
					URGENCY_RANK[b.urgency] - URGENCY_RANK[a.urgency]
				: 0) ||
			(order === 'updated' ? b.updatedAt - a.updatedAt : b.createdAt - a.createdAt) ||
			(a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
		const time = fc.integer({ min: NOW - 5, max: NOW + CLOCK_SKEW_MS + 5 });
		const posts = fc.array(
			fc.record({
				id: fc.constantFrom('post-a', 'post-b', 'post-c', 'post-d'),
				urgency: fc.constantFrom('low', 'normal', 'high', 'critical'),
				status: fc.constantFrom('open', 'in-progress', 'done'),
				createdAt: time,
				updatedAt: time,
				expiresAt: fc.option(time)
			}),
			{ maxLength: 12 }
		);
		fc.assert(
			fc.property(posts, fc.constantFrom('urgency', 'newest', 'updated'), (fields, order) => {
				const all = fields.map((f) => post(f as Partial<Post>));
				const shown = arrangeBoard(all.map(ok), { ...DEFAULT_FILTER, status: 'all' }, order, NOW);
				expect(shown.posts).toEqual([...all].sort(rule(order)));
			}),
			{ numRuns: 300 }
		);
	});

	it('lists unreadable records separately instead of dropping them', () => {
		const broken = parsePost('post-broken-1', { kind: 'need', title: 42 });
		const result = arrangeBoard([broken, ok(post())], DEFAULT_FILTER, 'urgency', NOW);
		expect(result.posts).toHaveLength(1);
		expect(result.unreadable).toHaveLength(1);
		expect(result.unreadable[0]?.problem).toMatch(/title/);
	});

	it('collects the categories in use', () => {
		expect(categoriesIn([ok(post()), ok(post({ category: 'Shelter' })), ok(post())])).toEqual([
			'shelter',
			'water'
		]);
	});
});

describe('forged time on the board', () => {
	const forged = post({
		title: 'Pinned forever',
		urgency: 'critical',
		createdAt: 1e15,
		updatedAt: 1e15
	});
	const real = post({
		title: 'Real need',
		urgency: 'critical',
		createdAt: NOW - 5,
		updatedAt: NOW - 5
	});
	const older = post({
		title: 'Older need',
		urgency: 'critical',
		createdAt: NOW - 50,
		updatedAt: NOW - 50
	});

	it('does not let a post dated in the future pin itself to the top, in any order', () => {
		for (const order of ['newest', 'updated', 'urgency'] as const) {
			const { posts } = arrangeBoard([forged, real, older].map(ok), DEFAULT_FILTER, order, NOW);
			expect(posts.map((p) => p.title)).toEqual(['Real need', 'Older need', 'Pinned forever']);
		}
	});

	it('flags a time past the clock skew, and believes one within it', () => {
		expect(isDatedAhead(forged, NOW)).toBe(true);
		expect(isDatedAhead(post({ updatedAt: NOW + CLOCK_SKEW_MS + 1 }), NOW)).toBe(true);
		expect(isDatedAhead(post({ createdAt: NOW + CLOCK_SKEW_MS }), NOW)).toBe(false);
		// A clock a few hours fast still posts at the top.
		const fast = post({ title: 'Fast clock', createdAt: NOW + 3 * 3600_000 });
		const { posts } = arrangeBoard([real, fast].map(ok), DEFAULT_FILTER, 'newest', NOW);
		expect(posts[0]?.title).toBe('Fast clock');
	});

	it('cannot read a time past what a date can hold (it could not even be shown)', () => {
		const { id, ...raw } = post({ createdAt: 9e15 });
		expect(parsePost(id, raw).ok).toBe(false);
		expect(parsePost(id, { ...raw, createdAt: 1e15 }).ok).toBe(true);
	});
});

describe('unreadable records on the board', () => {
	it('lists records under real ids before junk keys', () => {
		const records: PostRead[] = [
			{ ok: false, id: 'aaa junk', problem: 'malformed id' },
			{ ok: false, id: 'post-bad-00002', problem: 'title: too long' },
			{ ok: false, id: 'post-bad-00001', problem: 'nested too deep (over 8 levels)' }
		];
		const { unreadable } = arrangeBoard(records, DEFAULT_FILTER, 'newest', NOW);
		expect(unreadable.map((read) => read.id)).toEqual([
			'post-bad-00001',
			'post-bad-00002',
			'aaa junk'
		]);
	});
});
