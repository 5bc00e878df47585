// The supply log's part of a space's Y.Doc, and typed reads and writes
// (root names live in roots.ts).
//
//   sites:   Y.Map  siteId  -> Y.Map of fields (field-level merge)
//   items:   Y.Map  itemId  -> Y.Map of fields, `lowStock` a nested Y.Map siteId -> n
//   entries: Y.Map  entryId -> plain JSON (immutable facts: never edited, never deleted;
//                   an entry's id is its Yjs item's, see fact-key.ts)
//
// Entries are plain values, not Y.Maps: they never change, so they leave no
// tombstones behind and cost little per record.
import * as Y from 'yjs';
import { newId, type EntryId, type ItemId, type MemberId, type SiteId } from '../domain/ids';
import {
	ENTRY_DEFAULTS,
	parseEntry,
	parseItem,
	parseSite,
	type Entry,
	type EntryFields,
	type Item,
	type Read,
	type Site
} from '../domain/supplies';
import { stampVersion } from '../domain/versions';
import { newRecordMap, readRecord } from './records';
import { ORIGINS, rootMap } from './roots';
import { nextFactKey } from './fact-key';

const LOCAL_ORIGIN = ORIGINS.local;

export const sitesMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'sites');
export const itemsMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'items');
export const entriesMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'entries');

export function readSite(doc: Y.Doc, id: string): Read<Site> | null {
	const sites = sitesMap(doc);
	return sites.has(id) ? readRecord(id, sites.get(id), parseSite) : null;
}

export function readItem(doc: Y.Doc, id: string): Read<Item> | null {
	const items = itemsMap(doc);
	return items.has(id) ? readRecord(id, items.get(id), parseItem) : null;
}

export function readSites(doc: Y.Doc): Read<Site>[] {
	const sites: Read<Site>[] = [];
	sitesMap(doc).forEach((value, id) => sites.push(readRecord(id, value, parseSite)));
	return sites;
}

export function readItems(doc: Y.Doc): Read<Item>[] {
	const items: Read<Item>[] = [];
	itemsMap(doc).forEach((value, id) => items.push(readRecord(id, value, parseItem)));
	return items;
}

export function readEntry(doc: Y.Doc, id: string): Read<Entry> | null {
	const entries = entriesMap(doc);
	return entries.has(id) ? readRecord(id, entries.get(id), parseEntry) : null;
}

export function readEntries(doc: Y.Doc): Read<Entry>[] {
	const entries: Read<Entry>[] = [];
	entriesMap(doc).forEach((value, id) => entries.push(readRecord(id, value, parseEntry)));
	return entries;
}

type SiteFields = Omit<Site, 'id' | 'createdAt'>;
type ItemFields = Omit<Item, 'id' | 'createdAt' | 'lowStock'>;

export function createSite(doc: Y.Doc, fields: SiteFields, now: number): SiteId {
	const id = newId<'SiteId'>();
	doc.transact(() => {
		sitesMap(doc).set(id, newRecordMap('site', fields, { createdAt: now }));
	}, LOCAL_ORIGIN);
	return id;
}

export function createItem(doc: Y.Doc, fields: ItemFields, now: number): ItemId {
	const id = newId<'ItemId'>();
	doc.transact(() => {
		itemsMap(doc).set(
			id,
			newRecordMap('item', fields, { createdAt: now, lowStock: new Y.Map<number>() })
		);
	}, LOCAL_ORIGIN);
	return id;
}

/** Set (or clear, with null) an item's low-stock threshold at one site. */
export function setLowStock(
	doc: Y.Doc,
	item: ItemId,
	site: SiteId,
	threshold: number | null
): void {
	const record = itemsMap(doc).get(item);
	if (!(record instanceof Y.Map)) return;
	doc.transact(() => {
		let thresholds = record.get('lowStock');
		if (!(thresholds instanceof Y.Map)) {
			thresholds = new Y.Map<number>();
			record.set('lowStock', thresholds);
		}
		const map = thresholds as Y.Map<number>;
		if (threshold === null) map.delete(site);
		else map.set(site, threshold);
	}, LOCAL_ORIGIN);
}

function writeEntry(doc: Y.Doc, fields: EntryFields, by: MemberId, now: number): EntryId {
	// Named by the Yjs item that writes it, so no other write can ever claim the
	// same id and every peer can check a ledger entry was never changed (update-rules.ts).
	const id = nextFactKey(doc);
	entriesMap(doc).set(
		id,
		stampVersion('entry', {
			...ENTRY_DEFAULTS,
			...fields,
			recordedBy: by,
			recordedAt: now
		})
	);
	return id as EntryId;
}

export function recordEntry(doc: Y.Doc, fields: EntryFields, by: MemberId, now: number): EntryId {
	let id = '' as EntryId;
	doc.transact(() => {
		id = writeEntry(doc, fields, by, now);
	}, LOCAL_ORIGIN);
	return id;
}

/** A transfer is one action: both sides are written in one transaction and share an id. */
export function recordTransfer(
	doc: Y.Doc,
	transfer: {
		item: ItemId;
		from: SiteId;
		to: SiteId;
		quantity: number;
		batch?: string;
		expiresOn?: string | null;
		note?: string;
	},
	by: MemberId,
	now: number
): { out: EntryId; in: EntryId } {
	const transferId = newId<'EntryId'>();
	const common = {
		item: transfer.item,
		quantity: transfer.quantity,
		batch: transfer.batch ?? '',
		expiresOn: transfer.expiresOn ?? null,
		note: transfer.note ?? ''
	};
	let ids = { out: '' as EntryId, in: '' as EntryId };
	doc.transact(() => {
		ids = {
			out: writeEntry(
				doc,
				{
					...common,
					kind: 'transfer-out',
					site: transfer.from,
					transfer: { id: transferId, otherSite: transfer.to }
				},
				by,
				now
			),
			in: writeEntry(
				doc,
				{
					...common,
					kind: 'transfer-in',
					site: transfer.to,
					transfer: { id: transferId, otherSite: transfer.from }
				},
				by,
				now
			)
		};
	}, LOCAL_ORIGIN);
	return ids;
}

/**
 * Correct a wrong entry: record what should have been (or nothing, to void
 * it). The wrong entry stays in the ledger and stops counting.
 */
export function recordCorrection(
	doc: Y.Doc,
	wrong: Entry,
	replacement: EntryFields | null,
	by: MemberId,
	now: number
): EntryId {
	const fields: EntryFields = replacement
		? { ...replacement, corrects: wrong.id }
		: { kind: 'void', item: wrong.item, site: wrong.site, quantity: 0, corrects: wrong.id };
	return recordEntry(doc, fields, by, now);
}
