// The supply log as tables: stock by site and item, and the ledger, ready
// for CSV (with HXL tags) or for print.
import type { CsvTable } from './csv';
import { isLowStock, type StockBook } from './stock';
import {
	ENTRY_KIND_LABELS,
	MOVEMENT_SIGN,
	SITE_KIND_LABELS,
	type Entry,
	type Item,
	type MovementKind,
	type Site
} from './supplies';

/**
 * A moment as spreadsheets read it, in this device's local time, to the
 * second: "2026-12-01 09:30:05" (what a volunteer saw on the screen).
 */
export function localDateTime(at: number): string {
	const date = new Date(at);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function stockTable(book: StockBook, sites: Site[], items: Item[]): CsvTable {
	const siteById = new Map(sites.map((site) => [site.id, site]));
	const itemById = new Map(items.map((item) => [item.id, item]));
	const rows: (string | number)[][] = [];
	for (const cell of book.cells) {
		const site = siteById.get(cell.site);
		const item = itemById.get(cell.item);
		if (!site || !item) continue;
		rows.push([
			site.name,
			SITE_KIND_LABELS[site.kind],
			item.name,
			item.unit,
			item.category,
			cell.quantity,
			cell.lastCount ? localDateTime(cell.lastCount.at) : '',
			isLowStock(cell, item.lowStock) ? 'low' : ''
		]);
	}
	rows.sort(
		(a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[2]).localeCompare(String(b[2]))
	);
	return {
		headers: [
			'Site',
			'Site kind',
			'Item',
			'Unit',
			'Category',
			'Stock',
			'Last counted (local time)',
			'Flag'
		],
		hxl: [
			'#loc+name',
			'#loc+type',
			'#item+name',
			'#item+unit',
			'#item+type',
			'#value',
			'#date+counted',
			'#status'
		],
		rows
	};
}

export function ledgerTable(
	entries: Iterable<Entry>,
	book: StockBook,
	sites: Site[],
	items: Item[],
	memberName: (id: string) => string
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
				ENTRY_KIND_LABELS[entry.kind],
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
				book.isVoided(entry.id) ? 'corrected' : '',
				entry.id,
				entry.corrects ?? ''
			];
		});
	return {
		headers: [
			'Recorded at (local time)',
			'Site',
			'Item',
			'Unit',
			'Movement',
			'Quantity',
			'Change',
			'Households',
			'From / other site',
			'Batch',
			'Expires',
			'Recorded by',
			'Note',
			'Status',
			'Entry id',
			'Corrects'
		],
		hxl: [
			'#date+recorded',
			'#loc+name',
			'#item+name',
			'#item+unit',
			'#activity+type',
			'#value',
			'#value+change',
			'#reached+households',
			'#org+source',
			'#item+batch',
			'#date+expiry',
			'#contact+name',
			'#description',
			'#status',
			'#meta+id',
			'#meta+corrects'
		],
		rows
	};
}
