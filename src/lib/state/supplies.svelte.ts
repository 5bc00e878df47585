// The supply log for views: sites, items, the ledger and the stock derived
// from it. Entries are immutable, so each new one is parsed once and added
// to the stock book, which refolds only the cells it touches. Entries the
// book holds out for being dated too far ahead of this device's clock are
// listed with the unreadable ones, and kept out of the ledger until counted.
// The app never changes or deletes an entry, but a peer can: then the book
// is rebuilt from the entries already read, so an open log shows what a
// device opening it afresh would (the multi-peer fuzz found it still
// counting the old entry).
import type * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { StockBook } from '../domain/stock';
import { MALFORMED_ID } from '../domain/read';
import { CLOCK_SKEW_MS } from '../domain/time';
import type { Entry, EntryFields, Item, Read, Site } from '../domain/supplies';
import { shownKey } from '../doc/records';
import type { EntryId, ItemId, SiteId } from '../domain/ids';
import {
	createItem,
	createSite,
	entriesMap,
	itemsMap,
	readEntries,
	readEntry,
	readItem,
	readSite,
	recordCorrection,
	recordEntry,
	recordTransfer,
	setLowStock,
	sitesMap
} from '../doc/supplies-doc';
import { destroyWithDoc } from './reactive';
import { RecordReads } from './record-reads';
import { createNotifier } from './subscribers';

type Unreadable = Extract<Read<unknown>, { ok: false }>;

export class SuppliesModel {
	#doc: Y.Doc;
	#memberId: MemberId;
	#book = new StockBook();
	/** Entries counted in the book (not those it holds out). */
	#entries = new Map<EntryId, Entry>();
	#unreadableEntries = new Map<string, Unreadable>();
	#sites: RecordReads<Read<Site>>;
	#items: RecordReads<Read<Item>>;
	#notifier = createNotifier();
	#version = 0;

	constructor(doc: Y.Doc, memberId: MemberId) {
		this.#doc = doc;
		this.#memberId = memberId;
		// Re-read only the sites and items a change touched: a root of junk keys costs once.
		this.#sites = new RecordReads(
			sitesMap(doc),
			(id) => readSite(doc, id),
			(unreadable) => unreadable,
			() => this.#changed()
		);
		this.#items = new RecordReads(
			itemsMap(doc),
			(id) => readItem(doc, id),
			(unreadable) => unreadable,
			() => this.#changed()
		);
		const valid: Entry[] = [];
		for (const read of readEntries(doc)) {
			if (read.ok) valid.push(read.value);
			else this.#unreadableEntries.set(read.id, read);
		}
		this.#count(valid);
		entriesMap(doc).observe(this.#onEntries);
		destroyWithDoc(doc, () => this.#destroy());
	}

	#changed(): void {
		this.#version += 1;
		this.#notifier.notify();
	}

	/** Give the book new entries as of now; the ledger shows those it counts. */
	#count(added: Entry[]): void {
		const heldBefore = [...this.#book.aheadOfClock.values()];
		this.#book.add(added, Date.now());
		for (const entry of [...heldBefore, ...added])
			if (!this.#book.aheadOfClock.has(entry.id)) this.#entries.set(entry.id, entry);
	}

	/** Whether an entry under `key` was already read (counted, held out or unreadable). */
	#isKnown(key: string): boolean {
		return (
			this.#entries.has(key as EntryId) ||
			this.#book.aheadOfClock.has(key as EntryId) ||
			this.#unreadableEntries.has(shownKey(key))
		);
	}

	#onEntries = (event: Y.YMapEvent<unknown>): void => {
		const added: Entry[] = [];
		let rewritten = false;
		for (const key of event.keysChanged) {
			// A known entry changed or went: only a peer does that, and rarely.
			if (this.#isKnown(key)) {
				rewritten = true;
				this.#entries.delete(key as EntryId);
				this.#unreadableEntries.delete(shownKey(key));
			}
			const read = readEntry(this.#doc, key);
			if (!read) continue;
			if (read.ok) added.push(read.value);
			else this.#unreadableEntries.set(read.id, read);
		}
		if (rewritten) this.#recount(event.keysChanged, added);
		else this.#count(added);
		this.#changed();
	};

	/**
	 * A new book from the entries already read, less the `changed` ones, plus
	 * `added`: entries can be taken out of no book, but none is read twice, so
	 * a peer rewriting one entry over and over costs a fold, not a re-read.
	 */
	#recount(changed: Set<string>, added: Entry[]): void {
		const held = [...this.#book.aheadOfClock.values()].filter((entry) => !changed.has(entry.id));
		const kept = [...this.#entries.values(), ...held];
		this.#book = new StockBook();
		this.#entries = new Map();
		this.#count([...kept, ...added]);
	}

	/** Changes whenever anything in the supply log does. Reactive. */
	get version(): number {
		this.#notifier.track();
		return this.#version;
	}
	get book(): StockBook {
		this.#notifier.track();
		return this.#book;
	}
	get entries(): ReadonlyMap<EntryId, Entry> {
		this.#notifier.track();
		return this.#entries;
	}
	/**
	 * Entries dated too far ahead to count yet, then those that could not be
	 * read, junk keys last (the view names the first few).
	 */
	get unreadableEntries(): Unreadable[] {
		this.#notifier.track();
		const unreadable = [...this.#unreadableEntries.values()];
		const ahead = [...this.#book.aheadOfClock.values()].map((entry): Unreadable => ({
			ok: false,
			id: entry.id,
			problem: `dated ${new Date(entry.recordedAt).toISOString()}, more than ${CLOCK_SKEW_MS / 3_600_000} hours ahead of this device's clock: not counted until then`
		}));
		return [
			...ahead,
			...unreadable.filter((read) => read.problem !== MALFORMED_ID),
			...unreadable.filter((read) => read.problem === MALFORMED_ID)
		];
	}
	get sites(): Site[] {
		this.#notifier.track();
		return [...this.#sites.current.values()]
			.flatMap((read) => (read.ok ? [read.value] : []))
			.sort(byName);
	}
	get items(): Item[] {
		this.#notifier.track();
		return [...this.#items.current.values()]
			.flatMap((read) => (read.ok ? [read.value] : []))
			.sort(byName);
	}
	get unreadableRecords(): Unreadable[] {
		this.#notifier.track();
		return [...this.#sites.current.values(), ...this.#items.current.values()].filter(
			(read): read is Unreadable => !read.ok
		);
	}

	addSite(fields: Omit<Site, 'id' | 'createdAt'>): SiteId {
		return createSite(this.#doc, fields, Date.now());
	}
	addItem(fields: Omit<Item, 'id' | 'createdAt' | 'lowStock'>): ItemId {
		return createItem(this.#doc, fields, Date.now());
	}
	setLowStock(item: ItemId, site: SiteId, threshold: number | null): void {
		setLowStock(this.#doc, item, site, threshold);
	}
	record(fields: EntryFields): EntryId {
		return recordEntry(this.#doc, fields, this.#memberId, Date.now());
	}
	transfer(transfer: Parameters<typeof recordTransfer>[1]): void {
		recordTransfer(this.#doc, transfer, this.#memberId, Date.now());
	}
	correct(wrong: Entry, replacement: EntryFields | null): EntryId {
		return recordCorrection(this.#doc, wrong, replacement, this.#memberId, Date.now());
	}

	#destroy(): void {
		entriesMap(this.#doc).unobserve(this.#onEntries);
		this.#sites.destroy();
		this.#items.destroy();
	}
}

function byName(a: { name: string }, b: { name: string }): number {
	return a.name.localeCompare(b.name);
}
