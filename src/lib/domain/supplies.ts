// The supply log: sites, an item catalog, and a ledger of immutable
// movement entries. Stock is never stored; it is derived from entries here.
// Pure TypeScript: no Svelte, no Yjs. Everything read from a peer passes
// through the parse functions before any view or total sees it. No words for
// people here: kinds and problems are codes, and the views say them.
import * as v from 'valibot';
import { parseWith } from './read';
import { anId, isoDate, text, timestamp } from './schema-parts';
import { PointSchema } from './geo';
import { type EntryId, type ItemId, type SiteId } from './ids';

export const SITE_KINDS = ['depot', 'distribution', 'shelter', 'vehicle'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const ITEM_CATEGORIES = [
	'water',
	'food',
	'medicine',
	'hygiene',
	'shelter',
	'baby',
	'pet',
	'tools',
	'other'
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** Movements change stock by their quantity; a count states what is there. */
export const MOVEMENT_KINDS = [
	'received',
	'distributed',
	'transfer-out',
	'transfer-in',
	'expired',
	'damaged',
	'lost'
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const ENTRY_KINDS = [...MOVEMENT_KINDS, 'count', 'void'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** +1 adds to stock, −1 takes from it. */
export const MOVEMENT_SIGN: Record<MovementKind, 1 | -1> = {
	received: 1,
	'transfer-in': 1,
	distributed: -1,
	'transfer-out': -1,
	expired: -1,
	damaged: -1,
	lost: -1
};

export const SUPPLY_LIMITS = {
	name: 80,
	unit: 24,
	text: 200,
	notes: 1000,
	/** No single movement of anything is this large; a typo like 1e12 is refused. */
	quantity: 10_000_000,
	households: 1_000_000
} as const;

const id = anId;

export const SiteSchema = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(SUPPLY_LIMITS.name)),
	kind: v.picklist(SITE_KINDS),
	locationText: v.optional(text(SUPPLY_LIMITS.text), ''),
	point: v.optional(v.nullable(PointSchema), null),
	notes: v.optional(text(SUPPLY_LIMITS.notes), ''),
	createdAt: timestamp
});
export type Site = v.InferOutput<typeof SiteSchema> & { id: SiteId };

export const ItemSchema = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(SUPPLY_LIMITS.name)),
	unit: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(SUPPLY_LIMITS.unit)),
	category: v.picklist(ITEM_CATEGORIES),
	/** Low-stock threshold per site; sites not listed have none. */
	lowStock: v.optional(
		v.record(
			v.string(),
			v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(SUPPLY_LIMITS.quantity))
		),
		{}
	),
	createdAt: timestamp
});
export type Item = v.InferOutput<typeof ItemSchema> & { id: ItemId };

const quantity = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(SUPPLY_LIMITS.quantity));

export const EntrySchema = v.pipe(
	v.object({
		kind: v.picklist(ENTRY_KINDS),
		item: id<'ItemId'>(),
		site: id<'SiteId'>(),
		quantity,
		/** For distributions: how many households or people were served (never names). */
		households: v.optional(
			v.nullable(
				v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(SUPPLY_LIMITS.households))
			),
			null
		),
		/** Received from whom (optional, free text). */
		from: v.optional(text(SUPPLY_LIMITS.text), ''),
		/** Both sides of a transfer share it, and name the other site. */
		transfer: v.optional(
			v.nullable(v.object({ id: id<'EntryId'>(), otherSite: id<'SiteId'>() })),
			null
		),
		batch: v.optional(text(SUPPLY_LIMITS.text), ''),
		expiresOn: v.optional(v.nullable(isoDate), null),
		note: v.optional(text(SUPPLY_LIMITS.notes), ''),
		/** The entry this one corrects: that entry no longer counts. */
		corrects: v.optional(v.nullable(id<'EntryId'>()), null),
		recordedBy: id<'MemberId'>(),
		recordedAt: timestamp
	}),
	v.check(
		(entry) => entry.kind !== 'void' || entry.corrects !== null,
		'a void entry must name the entry it voids'
	),
	v.check(
		(entry) => entry.kind === 'count' || entry.kind === 'void' || entry.quantity > 0,
		'a movement must move a positive quantity'
	)
);
export type Entry = v.InferOutput<typeof EntrySchema> & { id: EntryId };

export type { Read } from './read';

export const parseSite = (siteId: string, raw: unknown) =>
	parseWith<typeof SiteSchema, Site>('site', SiteSchema, siteId, raw);
export const parseItem = (itemId: string, raw: unknown) =>
	parseWith<typeof ItemSchema, Item>('item', ItemSchema, itemId, raw);
export const parseEntry = (entryId: string, raw: unknown) =>
	parseWith<typeof EntrySchema, Entry>('entry', EntrySchema, entryId, raw);

export type EntryFields = Omit<v.InferInput<typeof EntrySchema>, 'recordedBy' | 'recordedAt'>;

/** What an entry holds where the person left a field out: one set of defaults for every writer. */
export const ENTRY_DEFAULTS = {
	households: null,
	from: '',
	transfer: null,
	batch: '',
	expiresOn: null,
	note: '',
	corrects: null
} as const satisfies Partial<Entry>;

/** Why a quantity a person typed cannot be recorded; the view says it in their language. */
export type QuantityProblem =
	| { problem: 'not-a-number' }
	| { problem: 'signed' }
	| { problem: 'zero' }
	| { problem: 'too-large'; max: number };

/**
 * A quantity a person typed for a movement, already read as a number in their
 * language (NaN when it is not one): the value, or why it cannot be recorded.
 */
export function checkQuantity(
	value: number,
	kind: EntryKind
): { ok: true; value: number } | ({ ok: false } & QuantityProblem) {
	if (!Number.isFinite(value)) return { ok: false, problem: 'not-a-number' };
	if (value < 0) return { ok: false, problem: 'signed' };
	if (value === 0 && kind !== 'count') return { ok: false, problem: 'zero' };
	if (value > SUPPLY_LIMITS.quantity)
		return { ok: false, problem: 'too-large', max: SUPPLY_LIMITS.quantity };
	return { ok: true, value };
}
