// Stock, derived from the ledger — never stored.
//
// Per site and item ("a cell"), entries are taken in recorded order (time,
// then id, so every device orders them the same). Movements add or take
// their quantity. A count states what was physically there at its time: it
// replaces the running total, and only movements recorded after it add to
// it. Movements recorded earlier but synced later are, by their time, part
// of what the count saw, so nothing is counted twice. When two counts exist,
// the later one stands and the earlier is history. An entry that another
// entry corrects no longer counts at all; the correction counts in its place.
//
// The book is incremental: a new entry refolds only its own cell (and the
// cell of the entry it corrects), never the whole ledger.
//
// Recorded times come from each device's clock. An entry dated further
// ahead of `now` than any clock is believed to be off (time.ts) is held
// out: not counted, listed, and let in when its time comes (checked each
// time the book takes entries). Counted, a count dated years ahead would
// stand after every real movement and freeze the stock for good.
import { MOVEMENT_SIGN, type Entry, type MovementKind } from './supplies';
import { type EntryId, type ItemId, type MemberId, type SiteId } from './ids';
import { isAheadOfClock } from './time';

export type CellKey = string;
export const cellKey = (site: SiteId, item: ItemId): CellKey => `${site}|${item}`;

export interface CountSummary {
	entryId: EntryId;
	at: number;
	by: MemberId;
	quantity: number;
	/** What the ledger said just before the count: the count's difference from it. */
	ledgerBefore: number;
}

export interface CellStock {
	site: SiteId;
	item: ItemId;
	quantity: number;
	lastCount: CountSummary | null;
	/** Movements recorded after the last count (all of them when there is none). */
	movementsSinceCount: number;
	/** Batches received here that have an expiry date, earliest first. */
	expiries: { batch: string; expiresOn: string }[];
	entries: number;
}

function byRecordedOrder(a: Entry, b: Entry): number {
	return a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Fold one cell's entries. `isVoided` says which entries a correction took out. */
export function foldCell(
	site: SiteId,
	item: ItemId,
	entries: Iterable<Entry>,
	isVoided: (id: EntryId) => boolean
): CellStock {
	const ordered = [...entries].sort(byRecordedOrder);
	let quantity = 0;
	let lastCount: CountSummary | null = null;
	let movementsSinceCount = 0;
	const expiries = new Map<string, { batch: string; expiresOn: string }>();
	for (const entry of ordered) {
		if (isVoided(entry.id) || entry.kind === 'void') continue;
		if (entry.kind === 'count') {
			lastCount = {
				entryId: entry.id,
				at: entry.recordedAt,
				by: entry.recordedBy,
				quantity: entry.quantity,
				ledgerBefore: quantity
			};
			quantity = entry.quantity;
			movementsSinceCount = 0;
			continue;
		}
		quantity += MOVEMENT_SIGN[entry.kind as MovementKind] * entry.quantity;
		movementsSinceCount += 1;
		if ((entry.kind === 'received' || entry.kind === 'transfer-in') && entry.expiresOn) {
			expiries.set(`${entry.batch}|${entry.expiresOn}`, {
				batch: entry.batch,
				expiresOn: entry.expiresOn
			});
		}
	}
	return {
		site,
		item,
		// Float sums of decimal quantities (0.1 + 0.2): keep totals readable.
		quantity: Math.round(quantity * 1e6) / 1e6,
		lastCount,
		movementsSinceCount,
		expiries: [...expiries.values()].sort((a, b) => (a.expiresOn < b.expiresOn ? -1 : 1)),
		entries: ordered.length
	};
}

export class StockBook {
	#entries = new Map<EntryId, Entry>();
	#cellEntries = new Map<CellKey, Map<EntryId, Entry>>();
	#correctedBy = new Map<EntryId, Set<EntryId>>();
	#cells = new Map<CellKey, CellStock>();
	/** Entries dated too far ahead of the clock when they came: held out of stock. */
	#ahead = new Map<EntryId, Entry>();

	/** A book of `entries` as of `now` (this device's clock). */
	static from(entries: Iterable<Entry>, now: number): StockBook {
		const book = new StockBook();
		book.add(entries, now);
		return book;
	}

	/**
	 * Add entries (new or already known) as of `now`, and let in held-out
	 * ones whose time has come; refolds only the cells they touch.
	 */
	add(entries: Iterable<Entry>, now: number): Set<CellKey> {
		const touched = new Set<CellKey>();
		for (const [id, entry] of this.#ahead) {
			if (isAheadOfClock(entry.recordedAt, now)) continue;
			this.#ahead.delete(id);
			this.#insert(entry, touched);
		}
		for (const entry of entries) {
			if (this.#ahead.has(entry.id)) continue;
			if (isAheadOfClock(entry.recordedAt, now) && !this.#entries.has(entry.id))
				this.#ahead.set(entry.id, entry);
			else this.#insert(entry, touched);
		}
		for (const key of touched) this.#refold(key);
		return touched;
	}

	/** Entries held out of stock for being dated too far ahead of the clock, by id. */
	get aheadOfClock(): ReadonlyMap<EntryId, Entry> {
		return this.#ahead;
	}

	#insert(entry: Entry, touched: Set<CellKey>): void {
		if (this.#entries.has(entry.id)) return;
		this.#entries.set(entry.id, entry);
		const key = cellKey(entry.site, entry.item);
		let cell = this.#cellEntries.get(key);
		if (!cell) {
			cell = new Map();
			this.#cellEntries.set(key, cell);
		}
		cell.set(entry.id, entry);
		touched.add(key);
		if (entry.corrects) {
			let corrections = this.#correctedBy.get(entry.corrects);
			if (!corrections) {
				corrections = new Set();
				this.#correctedBy.set(entry.corrects, corrections);
			}
			corrections.add(entry.id);
			// The corrected entry may live in another cell, or not have arrived yet.
			const corrected = this.#entries.get(entry.corrects);
			if (corrected) touched.add(cellKey(corrected.site, corrected.item));
		}
	}

	#refold(key: CellKey): void {
		const entries = this.#cellEntries.get(key);
		const first = entries?.values().next().value;
		if (!entries || !first) return;
		this.#cells.set(
			key,
			foldCell(first.site, first.item, entries.values(), (id) => this.isVoided(id))
		);
	}

	isVoided(id: EntryId): boolean {
		return this.#correctedBy.has(id);
	}

	/** The entries that correct this one (usually none or one; two is worth a look). */
	correctionsOf(id: EntryId): EntryId[] {
		return [...(this.#correctedBy.get(id) ?? [])];
	}

	cell(site: SiteId, item: ItemId): CellStock | undefined {
		return this.#cells.get(cellKey(site, item));
	}

	get cells(): IterableIterator<CellStock> {
		return this.#cells.values();
	}

	get entryCount(): number {
		return this.#entries.size;
	}
}

export function isLowStock(cell: CellStock, lowStock: Record<string, number>): boolean {
	const threshold = lowStock[cell.site];
	return threshold !== undefined && cell.quantity <= threshold;
}

/** Batches with stock on hand that expire within `days` of `today` (YYYY-MM-DD). */
export function expiringSoon(
	cell: CellStock,
	today: string,
	days = 7
): { batch: string; expiresOn: string }[] {
	if (cell.quantity <= 0) return [];
	const limit = addDays(today, days);
	return cell.expiries.filter((expiry) => expiry.expiresOn <= limit);
}

export function addDays(isoDay: string, days: number): string {
	const date = new Date(`${isoDay}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

/** Whole days from one calendar day to another (YYYY-MM-DD): 0 the same day, −2 two days before. */
export function daysUntil(today: string, isoDay: string): number {
	const day = (text: string) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;
	return Math.round(day(isoDay) - day(today));
}

/** The local calendar day of a timestamp, as YYYY-MM-DD. */
export function localDay(at: number): string {
	const date = new Date(at);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export interface DayTotal {
	item: ItemId;
	distributed: number;
	households: number;
	received: number;
}

/** "Distributed today: 340 L water to 52 households", per item, for one local day. */
export function dayTotals(
	entries: Iterable<Entry>,
	day: string,
	isVoided: (id: EntryId) => boolean
): DayTotal[] {
	const totals = new Map<ItemId, DayTotal>();
	for (const entry of entries) {
		if (isVoided(entry.id) || localDay(entry.recordedAt) !== day) continue;
		if (entry.kind !== 'distributed' && entry.kind !== 'received') continue;
		let total = totals.get(entry.item);
		if (!total) {
			total = { item: entry.item, distributed: 0, households: 0, received: 0 };
			totals.set(entry.item, total);
		}
		if (entry.kind === 'distributed') {
			total.distributed += entry.quantity;
			total.households += entry.households ?? 0;
		} else {
			total.received += entry.quantity;
		}
	}
	return [...totals.values()];
}
