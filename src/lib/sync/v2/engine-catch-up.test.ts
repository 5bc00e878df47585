// A join served in many pieces is applied in a few transactions: each
// transaction re-runs the doc's observers and redraws the board, which made a
// v2 join of 20,000 posts slower than today's sync (one transaction).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ENGINE_ORIGIN } from './engine';
import { ROOTS } from '../../doc/roots';
import { TestNetwork, postTitles, writePost, type TestDevice } from './network.test-helper';

/** Pictures of 300 KB, one entry each: ranges are served in pieces of about 1 MiB. */
function bigEntries(author: TestDevice, count: number): void {
	for (let i = 0; i < count; i++)
		author.doc.getMap(ROOTS.baseMapImages).set(`map-${i}`, new Uint8Array(300_000).fill(i));
}

function pictures(device: TestDevice): string[] {
	return [...device.doc.getMap(ROOTS.baseMapImages).keys()].sort();
}

/** Count the engine's transactions on `device`'s doc. */
function countTransactions(device: TestDevice): () => number {
	let count = 0;
	device.doc.on('afterTransaction', (transaction: Y.Transaction) => {
		if (transaction.origin === ENGINE_ORIGIN) count += 1;
	});
	return () => count;
}

describe('catching up', () => {
	it('applies a range arriving in many pieces in two transactions, whole', () => {
		const net = new TestNetwork();
		const author = net.device('author');
		bigEntries(author, 12);
		const joiner = net.device('joiner');
		const transactions = countTransactions(joiner);
		net.connect(joiner, author);
		net.settle();
		expect(net.traffic({ to: joiner }).messages).toBeGreaterThan(3);
		expect(pictures(joiner)).toEqual(pictures(author));
		expect(pictures(joiner)).toHaveLength(12);
		// The first piece at once (something to show), the rest once it has all come.
		expect(transactions()).toBe(2);
		expect(joiner.engine.waiting()).toBe(0);
	});

	it('waits twice as long as a slow apply took, so pieces arriving meanwhile are not one apply each', () => {
		const net = new TestNetwork();
		const author = net.device('author');
		bigEntries(author, 12);
		const joiner = net.device('joiner');
		const transactions = countTransactions(joiner);
		// Each apply takes 5 s (a slow phone redrawing a large board).
		joiner.doc.on('afterTransaction', (transaction: Y.Transaction) => {
			if (transaction.origin === ENGINE_ORIGIN) net.now += 5_000;
		});
		net.connect(joiner, author);
		net.settle();
		expect(pictures(joiner)).toHaveLength(12);
		expect(transactions()).toBe(2);
	});

	it('still applies what came when the holder goes away mid-range', () => {
		const net = new TestNetwork();
		const author = net.device('author');
		bigEntries(author, 12);
		const joiner = net.device('joiner');
		net.connect(joiner, author);
		// Deliver until the first pieces are in, then cut the link.
		while (joiner.engine.lengthOf(author.key.author) < 7) net.step();
		expect(joiner.engine.lengthOf(author.key.author)).toBeLessThan(12);
		net.disconnect(joiner, author);
		net.settle();
		expect(joiner.engine.waiting()).toBe(0);
		expect(pictures(joiner)).toHaveLength(joiner.engine.lengthOf(author.key.author));
	});

	it('applies at once again once the range has all come', () => {
		const net = new TestNetwork();
		const author = net.device('author');
		bigEntries(author, 4);
		const joiner = net.device('joiner');
		net.connect(joiner, author);
		net.settle();
		const transactions = countTransactions(joiner);
		writePost(author.doc, 'post-late-0001', 'Late');
		net.settle();
		expect(transactions()).toBe(1);
		expect(postTitles(joiner)).toContain('Late');
	});
});
