import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { QuietUpdates } from './quiet-updates';
import { remoteUpdates } from './random-updates.test-helper';

const ORIGIN = Symbol('peer');

/** Apply quietly what another device did (all its changes unless given some). */
function applyRemote(quiet: QuietUpdates, doc: Y.Doc, updates = remoteUpdates()): boolean {
	return quiet.transact((applied) => {
		for (const update of updates) {
			Y.applyUpdate(doc, update, ORIGIN);
			applied.push(update);
		}
	}, ORIGIN);
}

/** A doc with one update listener, stood in for by a recording taker. */
function stoodIn() {
	const doc = new Y.Doc();
	const listener = vi.fn();
	doc.on('update', listener);
	const quiet = new QuietUpdates(doc);
	const taker = vi.fn();
	quiet.standIn(listener, taker);
	return { doc, listener, quiet, taker };
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
		expect(applyRemote(quiet, doc, updates)).toBe(true);
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
		const ran = applyRemote(quiet, doc);
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
		applyRemote(quiet, doc, remoteUpdates().slice(0, 1));
		expect(heard).toEqual(['local']);
		expect(taken).toEqual([ORIGIN]);
	});

	it('is an ordinary transaction inside another one', () => {
		const { doc, listener, quiet, taker } = stoodIn();
		doc.transact(() => {
			doc.getMap('local').set('mine', 1);
			applyRemote(quiet, doc, remoteUpdates().slice(0, 1));
		});
		// The outer transaction's own change was encoded for the listener.
		expect(listener).toHaveBeenCalledTimes(1);
		expect(taker).not.toHaveBeenCalled();
	});

	it('gives the stand-ins what was applied even when applying throws partway', () => {
		const { doc, listener, quiet, taker } = stoodIn();
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
		applyRemote(quiet, doc, remoteUpdates().slice(0, 1));
		// It has no stand-in: Yjs encodes that transaction for it alone.
		expect(late).toHaveBeenCalledTimes(1);
		expect(listener).not.toHaveBeenCalled();
		doc.getMap('posts').set('p9', { title: 'Soap', qty: 2 });
		expect(late).toHaveBeenCalledTimes(2);
		expect(listener).toHaveBeenCalledTimes(1);
	});
});
