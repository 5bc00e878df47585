import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { StockBook } from '../domain/stock';
import { MOVEMENT_KINDS, type Entry } from '../domain/supplies';
import {
	createItem,
	createSite,
	entriesMap,
	readEntries,
	readItems,
	recordCorrection,
	recordEntry,
	recordTransfer,
	setLowStock
} from './supplies-doc';

const ANA = 'member-ana-0001' as MemberId;
const BEN = 'member-ben-0002' as MemberId;

function valid(doc: Y.Doc): Entry[] {
	return readEntries(doc).flatMap((read) => (read.ok ? [read.value] : []));
}

function setup() {
	const doc = new Y.Doc();
	const depot = createSite(
		doc,
		{ name: 'Depot', kind: 'depot', locationText: '', point: null, notes: '' },
		1
	);
	const church = createSite(
		doc,
		{ name: 'Church', kind: 'distribution', locationText: '', point: null, notes: '' },
		1
	);
	const water = createItem(doc, { name: 'Water', unit: 'L', category: 'water' }, 1);
	return { doc, depot, church, water };
}

describe('supplies doc', () => {
	it('writes a transfer as two entries in one transaction', () => {
		const { doc, depot, church, water } = setup();
		recordEntry(doc, { kind: 'received', item: water, site: depot, quantity: 100 }, ANA, 10);
		let transactions = 0;
		doc.on('afterTransaction', () => (transactions += 1));
		recordTransfer(doc, { item: water, from: depot, to: church, quantity: 40 }, ANA, 20);
		expect(transactions).toBe(1);
		const book = StockBook.from(valid(doc), Date.now());
		expect(book.cell(depot, water)?.quantity).toBe(60);
		expect(book.cell(church, water)?.quantity).toBe(40);
	});

	it('corrects by adding, never by editing or deleting', () => {
		const { doc, depot, water } = setup();
		const wrongId = recordEntry(
			doc,
			{ kind: 'received', item: water, site: depot, quantity: 1000 },
			ANA,
			10
		);
		const wrong = valid(doc).find((entry) => entry.id === wrongId) as Entry;
		recordCorrection(
			doc,
			wrong,
			{ kind: 'received', item: water, site: depot, quantity: 100 },
			BEN,
			20
		);
		expect(entriesMap(doc).size).toBe(2);
		expect(StockBook.from(valid(doc), Date.now()).cell(depot, water)?.quantity).toBe(100);
		recordCorrection(doc, wrong, null, BEN, 30);
		expect(entriesMap(doc).size).toBe(3);
	});

	it('keeps per-site thresholds that merge across devices', () => {
		const { doc, depot, church, water } = setup();
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		setLowStock(doc, water, depot, 20);
		setLowStock(other, water, church, 5);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		for (const d of [doc, other]) {
			const item = readItems(d).find((read) => read.ok);
			expect(item?.ok && item.value.lowStock).toEqual({ [depot]: 20, [church]: 5 });
		}
	});

	it('shows a malformed entry from a peer as unreadable and keeps it out of totals', () => {
		const { doc, depot, water } = setup();
		recordEntry(doc, { kind: 'received', item: water, site: depot, quantity: 10 }, ANA, 10);
		entriesMap(doc).set('entry-hostile-01', { kind: 'received', quantity: 'lots' });
		const reads = readEntries(doc);
		expect(reads.filter((read) => !read.ok)).toHaveLength(1);
		expect(StockBook.from(valid(doc), Date.now()).cell(depot, water)?.quantity).toBe(10);
	});

	it('converges when three devices record offline and merge in any order', () => {
		const { doc, depot, church, water } = setup();
		const peers = [doc, new Y.Doc(), new Y.Doc()];
		for (const peer of peers.slice(1)) Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		const members = [ANA, BEN, 'member-cat-0003' as MemberId];
		peers.forEach((peer, i) => {
			recordEntry(
				peer,
				{ kind: 'received', item: water, site: depot, quantity: 100 + i },
				members[i]!,
				100 + i
			);
			recordEntry(
				peer,
				{ kind: 'distributed', item: water, site: depot, quantity: 10 * (i + 1), households: 3 },
				members[i]!,
				200 + i
			);
			recordTransfer(
				peer,
				{ item: water, from: depot, to: church, quantity: 5 },
				members[i]!,
				300 + i
			);
		});
		const updates = peers.map((peer) => Y.encodeStateAsUpdate(peer));
		peers.forEach((peer, i) => {
			for (const update of [...updates].reverse())
				if (update !== updates[i]) Y.applyUpdate(peer, update);
		});
		const stocks = peers.map((peer) => {
			const book = StockBook.from(valid(peer), Date.now());
			return [book.cell(depot, water)?.quantity, book.cell(church, water)?.quantity];
		});
		// 303 received − 60 distributed − 15 transferred out; 15 transferred in.
		expect(stocks).toEqual([
			[228, 15],
			[228, 15],
			[228, 15]
		]);
	});
});

describe('supply ledgers merged across peers (property, real Yjs docs)', () => {
	it('three devices recording in any order and syncing in any order end with the same stock, the sum of movements', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						peer: fc.integer({ min: 0, max: 2 }),
						kind: fc.constantFrom(...MOVEMENT_KINDS),
						site: fc.integer({ min: 0, max: 1 }),
						quantity: fc.integer({ min: 1, max: 1000 }),
						syncAfter: fc.boolean()
					}),
					{ minLength: 1, maxLength: 40 }
				),
				fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
				(steps, syncOrder) => {
					const { doc, depot, church, water } = setup();
					const peers = [doc, new Y.Doc(), new Y.Doc()];
					for (const peer of peers.slice(1)) Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
					const sites = [depot, church];
					let clock = 100;
					const syncPair = (from: Y.Doc, to: Y.Doc) =>
						Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
					steps.forEach((step, i) => {
						recordEntry(
							peers[step.peer]!,
							{ kind: step.kind, item: water, site: sites[step.site]!, quantity: step.quantity },
							ANA,
							clock++
						);
						// Now and then two devices meet and sync, in an order chosen by the test.
						if (step.syncAfter) {
							const from = syncOrder[i % syncOrder.length]!;
							syncPair(peers[from]!, peers[(from + 1) % 3]!);
						}
					});
					// Eventually everyone meets everyone, in the chosen order.
					for (const from of syncOrder) {
						for (const to of [0, 1, 2]) if (to !== from) syncPair(peers[from]!, peers[to]!);
					}
					for (const from of [0, 1, 2]) {
						for (const to of [0, 1, 2]) if (to !== from) syncPair(peers[from]!, peers[to]!);
					}
					const expected = sites.map((site, s) =>
						steps
							.filter((step) => step.site === s)
							.reduce(
								(sum, step) =>
									sum + (['received', 'transfer-in'].includes(step.kind) ? 1 : -1) * step.quantity,
								0
							)
					);
					for (const peer of peers) {
						const book = StockBook.from(valid(peer), Date.now());
						expect(sites.map((site) => book.cell(site, water)?.quantity ?? 0)).toEqual(expected);
					}
				}
			),
			{ numRuns: 100, seed: 7 }
		);
	});
});
