import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { QuietUpdates } from './quiet-updates';

const ORIGIN = Symbol('peer');

/** Two updates from another device: a post, then a change to it. */
function remoteUpdates(): Uint8Array[] {
	const other = new Y.Doc();
	const updates: Uint8Array[] = [];
	other.on('update', (update: Uint8Array) => updates.push(update));
	other.getMap('posts').set('p1', { title: 'Water', qty: 3 });
	other.getMap('posts').set('p2', { title: 'Tarps', qty: 10 });
	other.getMap('posts').delete('p1');
	return updates;
}

describe('quiet updates', () => {
	it('applies without Yjs encoding when every update listener has a stand-in, and the stand-ins get the applied updates', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);
		const quiet = new QuietUpdates(doc);
		const taken: Uint8Array[][] = [];
		quiet.standIn(listener, (updates, origin) => {
			expect(origin).toBe(ORIGIN);
			taken.push([...updates]);
		});
		const updates = remoteUpdates();
		const ran = quiet.transact((applied) => {
			for (const update of updates) {
				Y.applyUpdate(doc, update, ORIGIN);
				applied.push(update);
			}
		}, ORIGIN);
		expect(ran).toBe(true);
		expect(listener).not.toHaveBeenCalled();
		expect(taken).toEqual([updates]);
		expect(doc.getMap('posts').toJSON()).toEqual({ p2: { title: 'Tarps', qty: 10 } });
		// The listener is back for what follows.
		doc.getMap('posts').set('p3', { title: 'Rice', qty: 1 });
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('is an ordinary transaction when a listener has no stand-in', () => {
		const doc = new Y.Doc();
		const known = vi.fn();
		const unknown = vi.fn();
		doc.on('update', known);
		doc.on('update', unknown);
		const quiet = new QuietUpdates(doc);
		const taker = vi.fn();
		quiet.standIn(known, taker);
		const ran = quiet.transact((applied) => {
			for (const update of remoteUpdates()) {
				Y.applyUpdate(doc, update, ORIGIN);
				applied.push(update);
			}
		}, ORIGIN);
		expect(ran).toBe(false);
		expect(known).toHaveBeenCalledTimes(1);
		expect(unknown).toHaveBeenCalledTimes(1);
		expect(taker).not.toHaveBeenCalled();
	});

	it('encodes as ever a local change an observer makes during a quiet transaction', () => {
		const doc = new Y.Doc();
		const heard: unknown[] = [];
		const listener = (_update: Uint8Array, origin: unknown) => heard.push(origin);
		doc.on('update', listener);
		const quiet = new QuietUpdates(doc);
		const taken: unknown[] = [];
		quiet.standIn(listener, (_updates, origin) => taken.push(origin));
		doc.getMap('posts').observe((event) => {
			if (event.transaction.origin === ORIGIN)
				doc.transact(() => doc.getMap('seen').set('count', 1), 'local');
		});
		quiet.transact((applied) => {
			const [first] = remoteUpdates();
			Y.applyUpdate(doc, first!, ORIGIN);
			applied.push(first!);
		}, ORIGIN);
		expect(heard).toEqual(['local']);
		expect(taken).toEqual([ORIGIN]);
	});

	it('is an ordinary transaction inside another one', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);
		const quiet = new QuietUpdates(doc);
		const taker = vi.fn();
		quiet.standIn(listener, taker);
		doc.transact(() => {
			doc.getMap('local').set('mine', 1);
			quiet.transact((applied) => {
				const [first] = remoteUpdates();
				Y.applyUpdate(doc, first!, ORIGIN);
				applied.push(first!);
			}, ORIGIN);
		});
		// The outer transaction's own change was encoded for the listener.
		expect(listener).toHaveBeenCalledTimes(1);
		expect(taker).not.toHaveBeenCalled();
	});

	it('gives the stand-ins what was applied even when applying throws partway', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);
		const quiet = new QuietUpdates(doc);
		const taker = vi.fn();
		quiet.standIn(listener, taker);
		const [first] = remoteUpdates();
		expect(() =>
			quiet.transact((applied) => {
				Y.applyUpdate(doc, first!, ORIGIN);
				applied.push(first!);
				throw new Error('second one unreadable');
			}, ORIGIN)
		).toThrow('second one unreadable');
		expect(taker).toHaveBeenCalledWith([first], ORIGIN);
		doc.getMap('later').set('x', 1);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('keeps a listener that an observer adds during a quiet transaction', () => {
		const doc = new Y.Doc();
		const listener = vi.fn();
		doc.on('update', listener);
		const quiet = new QuietUpdates(doc);
		quiet.standIn(listener, () => {});
		const late = vi.fn();
		doc.getMap('posts').observe(() => doc.on('update', late));
		quiet.transact((applied) => {
			const [first] = remoteUpdates();
			Y.applyUpdate(doc, first!, ORIGIN);
			applied.push(first!);
		}, ORIGIN);
		// It has no stand-in: Yjs encodes that transaction for it alone.
		expect(late).toHaveBeenCalledTimes(1);
		expect(listener).not.toHaveBeenCalled();
		doc.getMap('posts').set('p9', { title: 'Soap', qty: 2 });
		expect(late).toHaveBeenCalledTimes(2);
		expect(listener).toHaveBeenCalledTimes(1);
	});
});
