import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import type { PostFields } from '../domain/post';
import { deepNestingUpdate, receive } from '../doc/hostile.test-helper';
import { BoardModel } from './board.svelte';
import { follow } from './follow.test-helper.svelte';
import { UNDO_FOR_MS } from './undo-offer.svelte';

const ana = 'member-ana-0001' as MemberId;
const ben = 'member-ben-0001' as MemberId;
const water: PostFields = {
	kind: 'need',
	title: 'Drinking water',
	details: '',
	category: 'water',
	quantity: 20,
	unit: 'liters',
	urgency: 'high',
	locationText: '',
	contact: '',
	expiresAt: null
};

describe('BoardModel', () => {
	it('shows a post that arrives from another device, and one written here', () => {
		const here = new Y.Doc();
		const there = new Y.Doc();
		const board = new BoardModel(here, ana);
		const remote = new BoardModel(there, ben);
		const { seen, stop } = follow(() => board.records.size);

		const id = remote.createPost(water);
		Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
		flushSync();
		expect(seen).toEqual([0, 1]);
		const record = board.records.get(id);
		expect(record?.ok && record.post.createdBy).toBe(ben);

		board.createPost({ ...water, title: 'Tarps' });
		flushSync();
		expect(seen).toEqual([0, 1, 2]);
		stop();
	});

	it('re-reads an edited post, and claims by this device carry its member id', () => {
		const doc = new Y.Doc();
		const board = new BoardModel(doc, ana);
		const id = board.createPost(water);
		const { seen, stop } = follow(() => {
			const record = board.records.get(id);
			return record?.ok ? `${record.post.title}|${Object.keys(record.post.claims).join(',')}` : '';
		});
		board.updatePost(id, { title: 'Water, 40 l' });
		board.claim(id);
		flushSync();
		expect(seen.at(-1)).toBe(`Water, 40 l|${ana}`);
		const record = board.records.get(id);
		expect(record?.ok && record.post.updatedBy).toBe(ana);
		stop();
	});

	it('stops listening when its doc is destroyed', () => {
		const doc = new Y.Doc();
		const board = new BoardModel(doc, ana);
		const { seen, stop } = follow(() => board.records.size);
		doc.destroy();
		// A late update still reaches the destroyed doc; the model no longer hears it.
		const other = new Y.Doc();
		new BoardModel(other, ben).createPost(water);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		flushSync();
		expect(doc.getMap('posts').size).toBe(1);
		expect(seen).toEqual([0]);
		expect(board.records.size).toBe(0);
		stop();
	});

	it('offers to undo marking done, takes back only that, and lets the offer lapse', () => {
		vi.useFakeTimers();
		try {
			const here = new Y.Doc();
			const there = new Y.Doc();
			const board = new BoardModel(here, ana);
			const id = board.createPost(water);
			Y.applyUpdate(there, Y.encodeStateAsUpdate(here));
			const status = () => {
				const record = board.records.get(id);
				return record?.ok ? record.post.status : null;
			};

			board.setStatus(id, 'done');
			expect(board.undo.current?.text).toBe('Marked “Drinking water” done.');
			// Meanwhile another device retitles the post; Undo must not take that back.
			new BoardModel(there, ben).updatePost(id, { title: 'Water, 40 l' });
			Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
			board.undo.undo();
			expect(status()).toBe('open');
			const record = board.records.get(id);
			expect(record?.ok && record.post.title).toBe('Water, 40 l');
			expect(board.undo.current).toBeNull();

			board.setStatus(id, 'withdrawn');
			expect(board.undo.current?.text).toBe('Withdrew “Water, 40 l”.');
			vi.advanceTimersByTime(UNDO_FOR_MS + 1);
			expect(board.undo.current).toBeNull();
			expect(status()).toBe('withdrawn');

			// Someone else reopens it before Undo: theirs stands, and the bar says so.
			board.setStatus(id, 'open');
			board.setStatus(id, 'done');
			Y.applyUpdate(there, Y.encodeStateAsUpdate(here));
			new BoardModel(there, ben).setStatus(id, 'in-progress');
			Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
			board.undo.undo();
			expect(status()).toBe('in-progress');
			expect(board.undo.current?.text).toMatch(/Not undone/);
			vi.advanceTimersByTime(UNDO_FOR_MS);
			expect(board.undo.current).toBeNull();

			// A peer marks it done too, after us: Undo must not reopen it over them.
			board.setStatus(id, 'open');
			vi.advanceTimersByTime(5);
			board.setStatus(id, 'done');
			Y.applyUpdate(there, Y.encodeStateAsUpdate(here));
			vi.advanceTimersByTime(5);
			const peer = new BoardModel(there, ben);
			peer.setStatus(id, 'open');
			peer.setStatus(id, 'done');
			Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
			board.undo.undo();
			expect(status()).toBe('done');
			expect(board.undo.current?.text).toMatch(/Not undone/);
			board.undo.withdraw();

			// Marking done what is already done changes nothing worth undoing.
			board.setStatus(id, 'done');
			expect(board.undo.current).toBeNull();

			// Reopening is not one tap from losing anything: no offer.
			board.setStatus(id, 'open');
			expect(board.undo.current).toBeNull();
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('BoardModel on hostile doc content', () => {
	it('opens on a doc holding a post nested 5,000 maps deep, listing it as unreadable', () => {
		const doc = new Y.Doc();
		const fine = new BoardModel(doc, ana).createPost(water);
		receive(doc, deepNestingUpdate('posts', 'post-deep-00001'));
		const board = new BoardModel(doc, ana);
		expect(board.records.get(fine)?.ok).toBe(true);
		expect(board.records.get('post-deep-00001')?.ok).toBe(false);
	});

	it('keeps working when the deep post arrives while it is open', () => {
		const doc = new Y.Doc();
		const board = new BoardModel(doc, ana);
		receive(doc, deepNestingUpdate('posts', 'post-deep-00002'));
		expect(board.records.get('post-deep-00002')?.ok).toBe(false);
		const id = board.createPost(water);
		expect(board.records.get(id)?.ok).toBe(true);
	});
});
