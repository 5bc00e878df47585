import { describe, expect, it, vi } from 'vitest';
import { entryMaker } from '../../../tests/support/supplies';
import { parseCsv, toCsv } from './csv';
import { foldCell, StockBook } from './stock';
import { ledgerTable, stockTable, localDateTime, type SupplyTableWords } from './supply-export';
import type { Entry, Item, Site } from './supplies';
import type { EntryId, ItemId, SiteId } from './ids';

const sites: Site[] = [
	{
		id: 'site-depot-0001' as SiteId,
		name: 'Depot, "north"',
		kind: 'depot',
		locationText: '',
		point: null,
		notes: '',
		createdAt: 0
	},
	{
		id: 'site-church-002' as SiteId,
		name: 'Church',
		kind: 'distribution',
		locationText: '',
		point: null,
		notes: '',
		createdAt: 0
	}
];
const items: Item[] = [
	{
		id: 'item-water-0001' as ItemId,
		name: 'Water',
		unit: 'L',
		category: 'water',
		lowStock: {},
		createdAt: 0
	},
	{
		id: 'item-rice-00002' as ItemId,
		name: 'Rice',
		unit: 'kg',
		category: 'food',
		lowStock: {},
		createdAt: 0
	}
];

/** The view's words, here plain English: the tables take whatever language they are given. */
const words: SupplyTableWords = {
	stockHeaders: {
		site: 'Site',
		siteKind: 'Site kind',
		item: 'Item',
		unit: 'Unit',
		category: 'Category',
		stock: 'Stock',
		lastCounted: 'Last counted',
		flag: 'Flag'
	},
	ledgerHeaders: {
		recordedAt: 'Recorded at',
		site: 'Site',
		item: 'Item',
		unit: 'Unit',
		movement: 'Movement',
		quantity: 'Quantity',
		change: 'Change',
		households: 'Households',
		fromOrOtherSite: 'From / other site',
		batch: 'Batch',
		expires: 'Expires',
		recordedBy: 'Recorded by',
		note: 'Note',
		status: 'Status',
		entryId: 'Entry id',
		corrects: 'Corrects'
	},
	siteKind: (kind) => `kind:${kind}`,
	category: (category) => `category:${category}`,
	entryKind: (kind) =>
		({ received: 'Received', distributed: 'Distributed', count: 'Counted' })[kind as string] ??
		kind,
	low: 'low',
	corrected: 'corrected'
};

const entry = entryMaker({
	item: items[0]!.id,
	site: sites[0]!.id,
	prefix: 'csv-',
	stepMs: 60_000
});

describe('supply CSV export', () => {
	const wrong = entry({ quantity: 5000 });
	const entries = [
		entry({ quantity: 500, from: 'Red Cross, truck 2', note: '=SUM(A1) not a formula' }),
		wrong,
		entry({ quantity: 50, corrects: wrong.id }),
		entry({ kind: 'distributed', quantity: 120.5, households: 30 }),
		entry({ kind: 'count', quantity: 400 }),
		entry({ kind: 'distributed', quantity: 20 }),
		entry({ item: items[1]!.id, site: sites[1]!.id, quantity: 75 })
	];
	const book = StockBook.from(entries, Date.now());

	it('parses back into the same stock numbers, with the HXL row under the headers', () => {
		const rows = parseCsv(toCsv(stockTable(book, sites, items, words)));
		expect(rows[0]).toEqual(Object.values(words.stockHeaders));
		expect(rows[1]).toEqual([
			'#loc+name',
			'#loc+type',
			'#item+name',
			'#item+unit',
			'#item+type',
			'#value',
			'#date+counted',
			'#status'
		]);
		expect(rows[2]?.slice(0, 5)).toEqual([
			'Church',
			'kind:distribution',
			'Rice',
			'kg',
			'category:food'
		]);
		const stock = Object.fromEntries(
			rows.slice(2).map((row) => [`${row[0]}|${row[2]}`, Number(row[5])])
		);
		expect(stock).toEqual({
			'Depot, "north"|Water': book.cell(sites[0]!.id, items[0]!.id)?.quantity,
			'Church|Rice': 75
		});
		expect(stock['Depot, "north"|Water']).toBe(380);
	});

	it('ledger CSV refolds to the same stock', () => {
		const table = ledgerTable(entries, book, sites, items, () => 'Ana', words);
		const rows = parseCsv(toCsv(table));
		const header = rows[0]!;
		expect(header).toEqual(Object.values(words.ledgerHeaders));
		expect(rows[1]![0]).toBe('#date+recorded');
		const col = (name: string) => header.indexOf(name);
		const kindByLabel: Record<string, Entry['kind']> = {
			Received: 'received',
			Distributed: 'distributed',
			Counted: 'count'
		};
		const rebuilt = rows.slice(2).map((row) =>
			entry({
				id: row[col('Entry id')] as EntryId,
				kind: kindByLabel[row[col('Movement')]!]!,
				quantity: Number(row[col('Quantity')]),
				recordedAt: Date.parse(row[col('Recorded at')]!),
				site: sites.find((s) => s.name === row[col('Site')])!.id,
				item: items.find((i) => i.name === row[col('Item')])!.id
			})
		);
		const voided = new Set(
			rows
				.slice(2)
				.filter((row) => row[col('Status')] === 'corrected')
				.map((row) => row[col('Entry id')])
		);
		const water = foldCell(
			sites[0]!.id,
			items[0]!.id,
			rebuilt.filter((e) => e.site === sites[0]!.id && e.item === items[0]!.id),
			(id) => voided.has(id)
		);
		expect(water.quantity).toBe(380);
		// Every time read back, offset and all, is the moment it was recorded.
		expect(rebuilt.map((e) => e.recordedAt).sort()).toEqual(
			entries.map((e) => e.recordedAt).sort()
		);
		expect(rows.find((row) => row[col('Note')]?.includes('SUM'))?.[col('Note')]).toBe(
			"'=SUM(A1) not a formula"
		);
		expect(
			rows.find((row) => row[col('From / other site')] === 'Red Cross, truck 2')
		).toBeDefined();
	});

	it('writes times in local time to the second, with their UTC offset, as one moment anywhere', () => {
		for (const date of [
			new Date(2026, 11, 1, 9, 30, 5, 750),
			new Date(2027, 0, 9, 23, 4, 0),
			new Date(2026, 6, 1, 0, 0, 0)
		]) {
			const written = localDateTime(date.getTime());
			expect(written).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$/);
			// Read back anywhere, it is the same moment (to the second).
			expect(Date.parse(written)).toBe(Math.floor(date.getTime() / 1000) * 1000);
		}
		expect(localDateTime(new Date(2026, 11, 1, 9, 30, 5, 750).getTime())).toMatch(
			/^2026-12-01 09:30:05 [+-]\d{2}:\d{2}$/
		);
		expect(localDateTime(new Date(2027, 0, 9, 23, 4, 0).getTime())).toMatch(
			/^2027-01-09 23:04:00 [+-]\d{2}:\d{2}$/
		);
	});

	it('writes a zone east or west of UTC with its sign and minutes', () => {
		const at = Date.UTC(2026, 11, 1, 12, 0, 0);
		const spy = (minutesWest: number) =>
			vi.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(minutesWest);
		spy(300);
		expect(localDateTime(at).slice(-6)).toBe('-05:00');
		spy(-330);
		expect(localDateTime(at).slice(-6)).toBe('+05:30');
		spy(0);
		expect(localDateTime(at).slice(-6)).toBe('+00:00');
		vi.restoreAllMocks();
	});
});
