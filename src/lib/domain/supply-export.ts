// The supply log as tables: stock by site and item, and the ledger, ready
// for CSV (with HXL tags) or for print. The HXL row is a standard and stays
// as it is; the header row and the words in cells are for people, so the
// view hands them in, in the person's language.
import type { CsvTable } from './csv';
import { isLowStock, type StockBook } from './stock';
import {
	MOVEMENT_SIGN,
	type Entry,
	type EntryKind,
	type Item,
	type ItemCategory,
	type MovementKind,
	type Site,
	type SiteKind
} from './supplies';

export const STOCK_COLUMNS = [
	'site',
	'siteKind',
	'item',
	'unit',
	'category',
	'stock',
	'lastCounted',
	'flag'
] as const;
export type StockColumn = (typeof STOCK_COLUMNS)[number];
const STOCK_HXL: Record<StockColumn, string> = {
	site: '#loc+name',
	siteKind: '#loc+type',
	item: '#item+name',
	unit: '#item+unit',
	category: '#item+type',
	stock: '#value',
	lastCounted: '#date+counted',
	flag: '#status'
};

export const LEDGER_COLUMNS = [
	'recordedAt',
	'site',
	'item',
	'unit',
	'movement',
	'quantity',
	'change',
	'households',
	'fromOrOtherSite',
	'batch',
	'expires',
	'recordedBy',
	'note',
	'status',
	'entryId',
	'corrects'
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];
const LEDGER_HXL: Record<LedgerColumn, string> = {
	recordedAt: '#date+recorded',
	site: '#loc+name',
	item: '#item+name',
	unit: '#item+unit',
	movement: '#activity+type',
	quantity: '#value',
	change: '#value+change',
	households: '#reached+households',
	fromOrOtherSite: '#org+source',
	batch: '#item+batch',
	expires: '#date+expiry',
	recordedBy: '#contact+name',
	note: '#description',
	status: '#status',
	entryId: '#meta+id',
	corrects: '#meta+corrects'
};

/** The words people read in the tables, in their language. */
export interface SupplyTableWords {
	stockHeaders: Record<StockColumn, string>;
	ledgerHeaders: Record<LedgerColumn, string>;
	siteKind: (kind: SiteKind) => string;
	category: (category: ItemCategory) => string;
	entryKind: (kind: EntryKind) => string;
	/** The flag on a cell at or under its low-stock level. */
	low: string;
	/** The status of an entry that a correction replaced. */
	corrected: string;
}

/**
 * A moment as spreadsheets read it, in this device's local time to the second
 * (what a volunteer saw on the screen), with that time's UTC offset so it
 * means one moment wherever the file is opened: "2026-12-01 09:30:05 -05:00".
 */
export function localDateTime(at: number): string {
	const date = new Date(at);
	const two = (n: number) => String(n).padStart(2, '0');
	const east = -date.getTimezoneOffset();
	const offset = `${east < 0 ? '-' : '+'}${two(Math.floor(Math.abs(east) / 60))}:${two(Math.abs(east) % 60)}`;
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${offset}`;
}

export function stockTable(
	book: StockBook,
	sites: Site[],
	items: Item[],
	words: SupplyTableWords
): CsvTable {
	const siteById = new Map(sites.map((site) => [site.id, site]));
	const itemById = new Map(items.map((item) => [item.id, item]));
	const rows: (string | number)[][] = [];
	for (const cell of book.cells) {
		const site = siteById.get(cell.site);
		const item = itemById.get(cell.item);
		if (!site || !item) continue;
		rows.push([
			site.name,
			words.siteKind(site.kind),
			item.name,
			item.unit,
			words.category(item.category),
			cell.quantity,
			cell.lastCount ? localDateTime(cell.lastCount.at) : '',
			isLowStock(cell, item.lowStock) ? words.low : ''
		]);
	}
	rows.sort(
		(a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[2]).localeCompare(String(b[2]))
	);
	return {
		headers: STOCK_COLUMNS.map((column) => words.stockHeaders[column]),
		hxl: STOCK_COLUMNS.map((column) => STOCK_HXL[column]),
		rows
	};
}

export function ledgerTable(
	entries: Iterable<Entry>,
	book: StockBook,
	sites: Site[],
	items: Item[],
	memberName: (id: string) => string,
	words: SupplyTableWords
): CsvTable {
	const siteName = new Map(sites.map((site) => [site.id as string, site.name]));
	const itemById = new Map(items.map((item) => [item.id as string, item]));
	const rows = [...entries]
		.sort((a, b) => b.recordedAt - a.recordedAt || (a.id < b.id ? 1 : -1))
		.map((entry) => {
			const item = itemById.get(entry.item);
			const change =
				entry.kind === 'count' || entry.kind === 'void'
					? ''
					: MOVEMENT_SIGN[entry.kind as MovementKind] * entry.quantity;
			return [
				localDateTime(entry.recordedAt),
				siteName.get(entry.site) ?? entry.site,
				item?.name ?? entry.item,
				item?.unit ?? '',
				words.entryKind(entry.kind),
				entry.quantity,
				change,
				entry.households ?? '',
				entry.kind === 'transfer-out' || entry.kind === 'transfer-in'
					? (siteName.get(entry.transfer?.otherSite ?? '') ?? '')
					: entry.from,
				entry.batch,
				entry.expiresOn ?? '',
				memberName(entry.recordedBy),
				entry.note,
				book.isVoided(entry.id) ? words.corrected : '',
				entry.id,
				entry.corrects ?? ''
			];
		});
	return {
		headers: LEDGER_COLUMNS.map((column) => words.ledgerHeaders[column]),
		hxl: LEDGER_COLUMNS.map((column) => LEDGER_HXL[column]),
		rows
	};
}
