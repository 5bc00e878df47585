import fc from 'fast-check';
import { entryMaker } from '../../../tests/support/supplies';
import { describe, expect, it } from 'vitest';
import {
	dayTotals,
	daysUntil,
	expiringSoon,
	foldCell,
	isLowStock,
	localDay,
	StockBook
} from './stock';
import { MOVEMENT_KINDS, MOVEMENT_SIGN, checkQuantity, parseEntry, type Entry } from './supplies';
import { CLOCK_SKEW_MS } from './time';
import { type EntryId, type ItemId, type MemberId, type SiteId } from './ids';

const DEPOT = 'site-depot-0001' as SiteId;
const CHURCH = 'site-church-002' as SiteId;
const WATER = 'item-water-0001' as ItemId;
const ANA = 'member-ana-0001' as MemberId;
/** This device's clock in these tests: after every entry the tests make. */
const NOW = 1_700_000_000_000;

const entry = entryMaker({ item: WATER, site: DEPOT });

describe('stock derivation', () => {
	it('adds and takes movements', () => {
		const book = StockBook.from(
			[
				entry({ kind: 'received', quantity: 100 }),
				entry({ kind: 'distributed', quantity: 30, households: 12 }),
				entry({ kind: 'damaged', quantity: 5 })
			],
			NOW
		);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(65);
	});

	it('lets a count replace the running total, and adds only later movements', () => {
		const received = entry({ kind: 'received', quantity: 100, recordedAt: 1000 });
		const count = entry({ kind: 'count', quantity: 40, recordedAt: 5000 });
		const after = entry({ kind: 'distributed', quantity: 3, recordedAt: 6000 });
		// Recorded before the count on a phone that was offline, synced afterwards:
		const lateSync = entry({ kind: 'distributed', quantity: 20, recordedAt: 4000 });
		const book = StockBook.from([received, count, after, lateSync], NOW);
		const cell = book.cell(DEPOT, WATER);
		expect(cell?.quantity).toBe(37);
		expect(cell?.lastCount).toMatchObject({ quantity: 40, ledgerBefore: 80, by: ANA });
		expect(cell?.movementsSinceCount).toBe(1);
	});

	it('takes the later of two concurrent counts', () => {
		const early = entry({ kind: 'count', quantity: 50, recordedAt: 1000 });
		const late = entry({ kind: 'count', quantity: 45, recordedAt: 2000 });
		expect(StockBook.from([late, early], NOW).cell(DEPOT, WATER)?.quantity).toBe(45);
	});

	it('takes a corrected entry out and counts the correction instead, in any arrival order', () => {
		const wrong = entry({ kind: 'received', quantity: 1000 });
		const fix = entry({ kind: 'received', quantity: 100, corrects: wrong.id });
		const other = entry({ kind: 'received', quantity: 7 });
		for (const order of [
			[wrong, fix, other],
			[fix, other, wrong],
			[other, fix, wrong]
		]) {
			const book = new StockBook();
			for (const item of order) book.add([item], NOW);
			expect(book.cell(DEPOT, WATER)?.quantity).toBe(107);
			expect(book.isVoided(wrong.id)).toBe(true);
			expect(book.correctionsOf(wrong.id)).toEqual([fix.id]);
		}
	});

	it('refolds the corrected entry’s own cell when the correction is for another site', () => {
		const wrongSite = entry({ kind: 'received', quantity: 30, site: CHURCH });
		const book = StockBook.from([wrongSite], NOW);
		expect(book.cell(CHURCH, WATER)?.quantity).toBe(30);
		const touched = book.add(
			[entry({ kind: 'received', quantity: 30, site: DEPOT, corrects: wrongSite.id })],
			NOW
		);
		expect(touched.size).toBe(2);
		expect(book.cell(CHURCH, WATER)?.quantity).toBe(0);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(30);
	});

	it('flags low stock and batches expiring within a week', () => {
		const cell = foldCell(
			DEPOT,
			WATER,
			[
				entry({ kind: 'received', quantity: 8, batch: 'B1', expiresOn: '2026-11-27' }),
				entry({ kind: 'received', quantity: 2, batch: 'B2', expiresOn: '2027-03-01' })
			],
			() => false
		);
		expect(isLowStock(cell, { [DEPOT]: 10 })).toBe(true);
		expect(isLowStock(cell, { [DEPOT]: 9 })).toBe(false);
		expect(isLowStock(cell, {})).toBe(false);
		expect(expiringSoon(cell, '2026-11-23')).toEqual([{ batch: 'B1', expiresOn: '2026-11-27' }]);
	});

	it('counts the days to an expiry, across months and after it', () => {
		expect(daysUntil('2026-11-23', '2026-11-27')).toBe(4);
		expect(daysUntil('2026-11-30', '2026-12-01')).toBe(1);
		expect(daysUntil('2026-11-23', '2026-11-23')).toBe(0);
		expect(daysUntil('2026-03-02', '2026-02-27')).toBe(-3);
	});

	it('totals a day’s distributions per item with households', () => {
		const noon = new Date(2026, 10, 23, 12).getTime();
		const entries = [
			entry({ kind: 'distributed', quantity: 200, households: 30, recordedAt: noon }),
			entry({ kind: 'distributed', quantity: 140, households: 22, recordedAt: noon + 60_000 }),
			entry({ kind: 'received', quantity: 500, recordedAt: noon }),
			entry({ kind: 'distributed', quantity: 999, households: 1, recordedAt: noon - 86_400_000 })
		];
		expect(dayTotals(entries, localDay(noon), () => false)).toEqual([
			{ item: WATER, distributed: 340, households: 52, received: 500 }
		]);
	});

	it('validates entries from peers and quantities a person types', () => {
		const raw = { ...entry({}), id: undefined };
		expect(parseEntry('entry-valid-01', raw).ok).toBe(true);
		expect(parseEntry('entry-valid-02', { ...raw, quantity: -5 }).ok).toBe(false);
		expect(parseEntry('entry-valid-03', { ...raw, quantity: Infinity }).ok).toBe(false);
		expect(parseEntry('entry-valid-04', { ...raw, quantity: 0 }).ok).toBe(false);
		expect(parseEntry('entry-valid-05', { ...raw, kind: 'count', quantity: 0 }).ok).toBe(true);
		expect(parseEntry('entry-valid-06', { ...raw, kind: 'void' }).ok).toBe(false);
		expect(parseEntry('entry-valid-07', { ...raw, quantity: 1e12 }).ok).toBe(false);
		expect(checkQuantity(12.5, 'received')).toEqual({ ok: true, value: 12.5 });
		expect(checkQuantity(-3, 'received')).toEqual({ ok: false, problem: 'signed' });
		expect(checkQuantity(Number.NaN, 'received')).toEqual({ ok: false, problem: 'not-a-number' });
		expect(checkQuantity(0, 'distributed')).toEqual({ ok: false, problem: 'zero' });
		expect(checkQuantity(0, 'count')).toEqual({ ok: true, value: 0 });
		expect(checkQuantity(1e12, 'received')).toEqual({
			ok: false,
			problem: 'too-large',
			max: 10_000_000
		});
	});
});

describe('stock across peers (property)', () => {
	const sites = [DEPOT, CHURCH];
	const items = [WATER, 'item-rice-00002' as ItemId];
	const arbitraryEntry = fc.record({
		kind: fc.constantFrom(...MOVEMENT_KINDS),
		site: fc.constantFrom(...sites),
		item: fc.constantFrom(...items),
		quantity: fc.integer({ min: 1, max: 500 }),
		recordedAt: fc.integer({ min: 0, max: 1_000_000 })
	});

	it('every peer derives the same stock, equal to the sum of movements, whatever the delivery order', () => {
		fc.assert(
			fc.property(
				fc.array(arbitraryEntry, { minLength: 1, maxLength: 80 }),
				fc.array(fc.array(fc.nat(), { minLength: 80, maxLength: 80 }), {
					minLength: 3,
					maxLength: 3
				}),
				(drafts, shuffles) => {
					const entries = drafts.map((draft, i) =>
						entry({ ...draft, id: `entry-prop-${String(i).padStart(4, '0')}` as EntryId })
					);
					const books = shuffles.map((keys) => {
						// Each peer receives the entries in its own order, one at a time.
						const order = entries
							.map((item, i) => ({ item, key: keys[i] ?? 0 }))
							.sort((a, b) => a.key - b.key)
							.map(({ item }) => item);
						const book = new StockBook();
						for (const item of order) book.add([item], NOW);
						return book;
					});
					for (const site of sites) {
						for (const item of items) {
							const expected = entries
								.filter((e) => e.site === site && e.item === item)
								.reduce(
									(sum, e) =>
										sum + MOVEMENT_SIGN[e.kind as (typeof MOVEMENT_KINDS)[number]] * e.quantity,
									0
								);
							for (const book of books) expect(book.cell(site, item)?.quantity ?? 0).toBe(expected);
						}
					}
				}
			),
			{ numRuns: 200, seed: 20261123 }
		);
	});

	it('with counts and corrections mixed in, incremental books in any order equal a full fold', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						draft: arbitraryEntry,
						isCount: fc.boolean(),
						correctsEarlier: fc.option(fc.nat(), { nil: null })
					}),
					{ minLength: 1, maxLength: 60 }
				),
				fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
				(drafts, keys) => {
					const entries: Entry[] = [];
					drafts.forEach(({ draft, isCount, correctsEarlier }, i) => {
						const target =
							correctsEarlier !== null && i > 0 ? entries[correctsEarlier % i] : undefined;
						entries.push(
							entry({
								...draft,
								kind: isCount ? 'count' : draft.kind,
								id: `entry-mix-${String(i).padStart(4, '0')}` as EntryId,
								corrects: target?.id ?? null
							})
						);
					});
					const full = StockBook.from(entries, NOW);
					const shuffled = entries
						.map((item, i) => ({ item, key: keys[i] ?? 0 }))
						.sort((a, b) => a.key - b.key)
						.map(({ item }) => item);
					const incremental = new StockBook();
					for (const item of shuffled) incremental.add([item], NOW);
					expect(
						[...incremental.cells].sort((a, b) => (a.site + a.item < b.site + b.item ? -1 : 1))
					).toEqual([...full.cells].sort((a, b) => (a.site + a.item < b.site + b.item ? -1 : 1)));
				}
			),
			{ numRuns: 200, seed: 42 }
		);
	});
});

describe('forged time in the ledger', () => {
	const YEAR = 365 * 86_400_000;

	it('does not let a count dated years ahead freeze the stock', () => {
		const forged = entry({ kind: 'count', quantity: 0, recordedAt: NOW + 10 * YEAR });
		const received = entry({ kind: 'received', quantity: 100, recordedAt: NOW - 60_000 });
		const book = StockBook.from([received, forged], NOW);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(100);
		book.add([entry({ kind: 'distributed', quantity: 30, recordedAt: NOW + 1000 })], NOW + 1000);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(70);
		expect([...book.aheadOfClock.keys()]).toEqual([forged.id]);
	});

	it('counts an entry from a clock within the skew, and a held one once its time comes', () => {
		const fast = entry({ kind: 'received', quantity: 5, recordedAt: NOW + CLOCK_SKEW_MS });
		const later = entry({ kind: 'received', quantity: 7, recordedAt: NOW + 2 * CLOCK_SKEW_MS });
		const book = StockBook.from([fast, later], NOW);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(5);
		book.add([], NOW + CLOCK_SKEW_MS);
		expect(book.cell(DEPOT, WATER)?.quantity).toBe(12);
		expect(book.aheadOfClock.size).toBe(0);
	});
});
