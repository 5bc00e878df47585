// The engine across a restart: what it was given is kept in the log
// database (fake-indexeddb here; real IndexedDB in the browser tests), and
// a device that reopens serves it again and applies what its doc lacks.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SpaceId } from '../../domain/ids';
import { EntryKind, decodeEntry } from './entry';
import { LocalLog } from './log-store';
import { TestNetwork, postTitles, writePost, type TestDevice } from './network.test-helper';

let spaces = 0;

function post(device: TestDevice, n: number): void {
	writePost(device.doc, `post-${String(n).padStart(4, '0')}`, `Post ${n}`);
}

/** Ana writes five posts; Ben, keeping logs in `space`'s database, takes them. */
async function benHoldsAnasPosts() {
	const space = `restart-${++spaces}` as SpaceId;
	const net = new TestNetwork();
	const ana = net.device('ana');
	for (let n = 1; n <= 5; n++) post(ana, n);
	const log = await LocalLog.open(space);
	const ben = net.device('ben', { store: log });
	net.connect(ana, ben);
	net.settle();
	await ben.engine.whenSaved();
	expect(postTitles(ben)).toHaveLength(5);
	return { net, ana, ben, space, log };
}

/** Ben again after a restart: its doc as its own store kept it, its logs from the log database. */
async function reopen(net: TestNetwork, space: SpaceId, doc: Uint8Array) {
	const log = await LocalLog.open(space);
	const again = net.device('ben-again', { store: log });
	again.logging = false;
	Y.applyUpdate(again.doc, doc);
	again.logging = true;
	again.engine.load(await log.loadAll());
	return { again, log };
}

describe('the v2 engine across a restart', () => {
	it('keeps what it was given and serves it again', async () => {
		const { net, ana, ben, space, log: before } = await benHoldsAnasPosts();
		net.disconnect(ana, ben);
		before.close();
		const { again, log } = await reopen(net, space, Y.encodeStateAsUpdate(ben.doc));
		expect(again.engine.vector()).toMatchObject([{ author: ana.key.author, length: 5 }]);
		const cy = net.device('cy');
		net.connect(cy, again);
		net.settle();
		expect(postTitles(cy)).toHaveLength(5);
		expect(again.engine.waiting()).toBe(0);
		log.close();
	});

	it('applies again what the doc lost in the crash, from the kept logs', async () => {
		const { net, ana, ben, space, log: before } = await benHoldsAnasPosts();
		net.disconnect(ana, ben);
		before.close();
		// The doc's own store kept only the first two posts; the logs kept all five.
		const firstTwo = new Y.Doc();
		for (const encoded of ana.entries.slice(0, 2)) {
			const read = decodeEntry(encoded);
			if (read.ok) Y.applyUpdate(firstTwo, read.entry.body);
		}
		const { again, log } = await reopen(net, space, Y.encodeStateAsUpdate(firstTwo));
		expect(postTitles(again)).toHaveLength(5);
		expect(again.engine.waiting()).toBe(0);
		log.close();
	});

	it('stays stopped on an author it refused before the restart', async () => {
		const { net, ana, ben, space, log: before } = await benHoldsAnasPosts();
		const mallory = net.device('mallory');
		net.connect(mallory, ben);
		net.settle();
		mallory.logging = false;
		// A checkpoint whose body is not one.
		mallory.append(new Uint8Array([5, 1]), { kind: EntryKind.checkpoint });
		net.settle();
		expect(ben.engine.stops()).toMatchObject([{ reason: 'unreadable' }]);
		await ben.engine.whenSaved();
		before.close();
		net.disconnect(ana, ben);
		net.disconnect(mallory, ben);
		const { again, log } = await reopen(net, space, Y.encodeStateAsUpdate(ben.doc));
		expect(again.engine.stops()).toMatchObject([
			{ author: mallory.key.author, seq: 1, reason: 'unreadable' }
		]);
		log.close();
	});
});
