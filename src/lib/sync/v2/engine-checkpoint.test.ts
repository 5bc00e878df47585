// Checkpoints (docs/sync-protocol.md, "Storage and compaction"): a device
// compacts its own log into one entry; devices that hold the entries check
// it against them and let them go; a device that joins later gets the
// checkpoint instead, judged like any edit. A checkpoint that does not hold
// what the entries held, or breaks a rule, is refused.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PostId } from '../../domain/ids';
import { updatePost } from '../../doc/space-doc';
import { encodeCheckpoint } from './checkpoint';
import { EntryKind } from './entry';
import {
	TestNetwork,
	craftUpdate,
	postTitles,
	writePost,
	type TestDevice
} from './network.test-helper';

/** Five posts, then one of them retitled at length twenty times: a log much larger than its state. */
function busyLog(device: TestDevice): void {
	for (let n = 0; n < 5; n++) writePost(device.doc, `post-${n}`, `Post ${n}`, 'x'.repeat(200));
	for (let n = 0; n < 20; n++)
		updatePost(device.doc, 'post-0' as PostId, { title: `Retitled ${n} ${'y'.repeat(100)}` }, 2);
}

/** A device named `author` with a busy log, linked to Ben, who holds all of it. */
function heldByBen(author: string) {
	const net = new TestNetwork();
	const ana = net.device(author);
	const ben = net.device('ben');
	net.connect(ana, ben);
	busyLog(ana);
	net.settle();
	return { net, ana, ben };
}

function keptSeqs(holder: TestDevice, author: TestDevice): number[] {
	return [...holder.store.entriesOf(author.key.author).keys()].sort((a, b) => a - b);
}

function entryBytes(device: TestDevice, from: number, to: number): number {
	return device.entries.slice(from - 1, to).reduce((sum, bytes) => sum + bytes.length, 0);
}

describe('checkpoints of the v2 engine', () => {
	it('lets a device that holds the entries check the checkpoint and let them go', () => {
		const { net, ana, ben } = heldByBen('ana');
		const before = postTitles(ben);
		const written = ana.entries.length;

		ana.compact();
		net.settle();

		const checkpoint = written + 1;
		expect(ben.refusals()).toEqual([]);
		expect(postTitles(ben)).toEqual(before);
		expect(keptSeqs(ana, ana)).toEqual([checkpoint]);
		expect(keptSeqs(ben, ana)).toEqual([checkpoint]);
		// New edits go on on top of the checkpoint, as usual.
		writePost(ana.doc, 'post-after', 'After');
		net.settle();
		expect(postTitles(ben)).toContain('After');
		expect(keptSeqs(ben, ana)).toEqual([checkpoint, checkpoint + 1]);
	});

	it('serves a device that joins later the checkpoint: about the state’s size, not the log’s', () => {
		const { net, ana, ben } = heldByBen('ana');
		const replaced = entryBytes(ana, 1, ana.entries.length);
		ana.compact();
		net.settle();
		net.disconnect(ana, ben);

		const cleo = net.device('cleo');
		net.connect(ben, cleo);
		net.settle();

		expect(postTitles(cleo)).toEqual(postTitles(ana));
		expect(cleo.refusals()).toEqual([]);
		expect(keptSeqs(cleo, ana)).toEqual([ana.entries.length]);
		// Within the join target of the issue (1.3× the state), where the 25
		// entries it replaced, with every old title, would be twice that.
		const state = Y.encodeStateAsUpdate(ana.doc).length;
		expect(replaced).toBeGreaterThan(2 * state);
		expect(net.traffic({ to: cleo }).bytes).toBeLessThan(1.3 * state);
	});

	it('keeps a compacted log across a restart, and serves it from there', () => {
		const { net, ana, ben } = heldByBen('ana');
		ana.compact();
		writePost(ana.doc, 'post-after', 'After');
		net.settle();
		net.disconnect(ana, ben);
		net.restart(ben);
		expect(ben.engine.lengthOf(ana.key.author)).toBe(ana.entries.length);

		const cleo = net.device('cleo');
		net.connect(ben, cleo);
		net.settle();
		expect(postTitles(cleo)).toEqual(postTitles(ana));
		expect(cleo.engine.waiting()).toBe(0);
	});

	it('refuses, where the entries are held, a checkpoint that does not hold what they held', () => {
		const { net, ana: mallory, ben } = heldByBen('mallory');
		const before = postTitles(ben);
		// A "summary" that leaves the first post out and brings one nobody wrote.
		const other = new Y.Doc();
		other.clientID = mallory.doc.clientID;
		writePost(other, 'post-x', 'Never written');
		const update = Y.encodeStateAsUpdate(other);
		mallory.append(encodeCheckpoint({ epochs: [mallory.epoch], update }), {
			kind: EntryKind.checkpoint
		});
		net.settle();

		expect(ben.refusals()).toMatchObject([
			{ seq: mallory.entries.length, reason: 'bad-checkpoint' }
		]);
		expect(postTitles(ben)).toEqual(before);
		// Nothing it held is let go.
		expect(keptSeqs(ben, mallory)[0]).toBe(1);
	});

	it('judges a checkpoint like an edit where its entries were never held', () => {
		const net = new TestNetwork();
		const ana = net.device('ana');
		const mallory = net.device('mallory');
		net.connect(ana, mallory);
		writePost(ana.doc, 'post-ana', 'From Ana');
		writePost(mallory.doc, 'post-m', 'From Mallory');
		net.settle();
		// Mallory's checkpoint also rewrites Ana's post, under Ana's client id.
		const forged = craftUpdate(mallory.doc, ana.doc.clientID, (doc) =>
			updatePost(doc, 'post-ana' as PostId, { title: 'Forged' }, 3)
		);
		const own = Y.encodeStateAsUpdate(mallory.doc, Y.encodeStateVector(new Y.Doc()));
		const update = Y.mergeUpdates([own, forged]);
		mallory.append(encodeCheckpoint({ epochs: [mallory.epoch], update }), {
			kind: EntryKind.checkpoint
		});
		const cleo = net.device('cleo');
		net.disconnect(ana, mallory);
		net.connect(mallory, cleo);
		net.connect(ana, cleo);
		net.settle();

		expect(cleo.refusals()).toMatchObject([{ reason: 'other-writer' }]);
		expect(postTitles(cleo)).toEqual(['From Ana']);
	});
});
