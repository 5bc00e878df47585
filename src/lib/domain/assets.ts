// The community asset map: what a neighborhood already has — people's skills,
// associations, institutions, places and equipment — and how they relate.
// Pure TypeScript: no Svelte, no Yjs. Everything read from a peer passes
// through `parseAsset` / `parseLink` / `parseBaseMap` first.
import * as v from 'valibot';
import { distanceMetres, PointSchema, type Point } from './geo';
import { type AssetId, type BaseMapId, type LinkId } from './ids';
import { parseWith } from './read';
import { anId, memberId, text, timestamp, validateFields } from './schema-parts';

export const ASSET_KINDS = ['skill', 'association', 'institution', 'place', 'equipment'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** How one asset relates to another: "A <relation> B". */
export const RELATIONS = ['member-of', 'located-at', 'can-supply', 'knows', 'runs'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Which way a link is read: from its own asset ("A is a member of B") or from the other end. */
export type LinkDirection = 'forward' | 'backward';

export const ASSET_LIMITS = {
	name: 120,
	description: 2000,
	tag: 40,
	tags: 30,
	availability: 120,
	contact: 200,
	locationText: 200,
	baseMapName: 80
} as const;

const coordinate = v.pipe(v.number(), v.finite(), v.minValue(0));

/**
 * Where an asset is: nowhere in particular (text only), a point on the earth
 * (picked on a map or from the device's GPS), or a point on one of the
 * space's image base maps, in that image's pixels.
 */
export const AssetPlaceSchema = v.variant('kind', [
	v.object({ kind: v.literal('none') }),
	v.object({
		kind: v.literal('geo'),
		...PointSchema.entries,
		source: v.picklist(['map', 'gps', 'typed'])
	}),
	v.object({ kind: v.literal('image'), map: anId<'BaseMapId'>(), x: coordinate, y: coordinate })
]);
export type AssetPlace = v.InferOutput<typeof AssetPlaceSchema>;

/** Tags: trimmed, no empties, no repeats (case-insensitive), at most ASSET_LIMITS.tags. */
export function normalizeTags(tags: readonly string[]): string[] {
	const seen = new Set<string>();
	const kept: string[] = [];
	for (const raw of tags) {
		const tag = raw.trim().replace(/\s+/g, ' ');
		const key = tag.toLocaleLowerCase();
		if (tag === '' || seen.has(key)) continue;
		seen.add(key);
		kept.push(tag);
	}
	return kept;
}

/** "plumbing, Haitian Creole; first aid" → tags. */
export function parseTagList(input: string): string[] {
	return normalizeTags(input.split(/[,;\n]/));
}

export const AssetFieldsSchema = v.object({
	kind: v.picklist(ASSET_KINDS),
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(ASSET_LIMITS.name)),
	description: v.optional(text(ASSET_LIMITS.description), ''),
	tags: v.optional(
		v.pipe(
			v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(ASSET_LIMITS.tag))),
			v.maxLength(ASSET_LIMITS.tags),
			v.transform((tags: string[]) => normalizeTags(tags))
		),
		[]
	),
	availability: v.optional(text(ASSET_LIMITS.availability), ''),
	contact: v.optional(text(ASSET_LIMITS.contact), ''),
	locationText: v.optional(text(ASSET_LIMITS.locationText), ''),
	place: v.optional(AssetPlaceSchema, { kind: 'none' })
});
export type AssetFields = v.InferOutput<typeof AssetFieldsSchema>;

export const AssetSchema = v.object({
	...AssetFieldsSchema.entries,
	createdBy: memberId,
	createdAt: timestamp,
	updatedAt: timestamp
});
export type Asset = v.InferOutput<typeof AssetSchema> & { id: AssetId };

export const LinkSchema = v.pipe(
	v.object({
		from: anId<'AssetId'>(),
		to: anId<'AssetId'>(),
		relation: v.picklist(RELATIONS),
		createdBy: memberId,
		createdAt: timestamp
	}),
	v.check((link) => link.from !== link.to, 'an asset cannot be linked to itself')
);
export type AssetLink = v.InferOutput<typeof LinkSchema> & { id: LinkId };

/** An image base map's description; its bytes are stored beside it. */
export const BaseMapSchema = v.object({
	name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(ASSET_LIMITS.baseMapName)),
	width: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16384)),
	height: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16384)),
	mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
	createdBy: memberId,
	createdAt: timestamp
});
export type BaseMap = v.InferOutput<typeof BaseMapSchema> & { id: BaseMapId };

export const parseAsset = (id: string, raw: unknown) =>
	parseWith<typeof AssetSchema, Asset>('asset', AssetSchema, id, raw);
export const parseLink = (id: string, raw: unknown) =>
	parseWith<typeof LinkSchema, AssetLink>('assetLink', LinkSchema, id, raw);
export const parseBaseMap = (id: string, raw: unknown) =>
	parseWith<typeof BaseMapSchema, BaseMap>('baseMap', BaseMapSchema, id, raw);

/**
 * Why a field a person filled in cannot be kept, one reason per field; the
 * view puts it in words, with the limits in ASSET_LIMITS.
 */
const FIELD_PROBLEMS = {
	kind: 'unknown-kind',
	name: 'name-length',
	description: 'too-long',
	tags: 'too-many-or-too-long',
	availability: 'too-long',
	contact: 'too-long',
	locationText: 'too-long',
	place: 'off-the-earth'
} as const satisfies Record<keyof AssetFields, string>;

export type AssetFieldProblem = (typeof FIELD_PROBLEMS)[keyof AssetFields];
export type AssetFieldErrors = { [K in keyof AssetFields]?: (typeof FIELD_PROBLEMS)[K] };

/** Validate what a person typed: the fields, or the reason each bad field is wrong. */
export function validateAssetFields(
	input: unknown
): { ok: true; fields: AssetFields } | { ok: false; errors: AssetFieldErrors } {
	const result = validateFields(AssetFieldsSchema, FIELD_PROBLEMS, 'name', input);
	if (result.ok) return result;
	// What is not a field's own problem (input that is not even an object) is
	// reported on the name, like any other problem with it.
	const errors: Record<string, AssetFieldProblem> = {};
	for (const key of Object.keys(result.errors) as (keyof AssetFields)[])
		errors[key] = FIELD_PROBLEMS[key];
	return { ok: false, errors: errors as AssetFieldErrors };
}

export interface AssetFilter {
	search: string;
	kinds: readonly AssetKind[];
	tag: string;
}

export const NO_FILTER: AssetFilter = { search: '', kinds: [], tag: '' };

export function matchesAsset(asset: Asset, filter: AssetFilter): boolean {
	if (filter.kinds.length > 0 && !filter.kinds.includes(asset.kind)) return false;
	const tag = filter.tag.trim().toLocaleLowerCase();
	if (tag && !asset.tags.some((t) => t.toLocaleLowerCase() === tag)) return false;
	const words = filter.search.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const haystack = [
		asset.name,
		asset.description,
		asset.availability,
		asset.locationText,
		...asset.tags
	]
		.join('\n')
		.toLocaleLowerCase();
	return words.every((word) => haystack.includes(word));
}

export type AssetOrder = 'name' | 'newest' | 'distance';

export interface Arranged {
	asset: Asset;
	/** Metres from "me", when both have a point on the earth. */
	distance: number | null;
}

/**
 * Filter and order assets. By distance, those with a point on the earth come
 * nearest first, and the rest follow by name; without a position of mine,
 * distance order is name order.
 */
export function arrangeAssets(
	assets: Iterable<Asset>,
	filter: AssetFilter,
	order: AssetOrder,
	me: Point | null
): Arranged[] {
	const arranged: Arranged[] = [];
	for (const asset of assets) {
		if (!matchesAsset(asset, filter)) continue;
		const distance = me && asset.place.kind === 'geo' ? distanceMetres(me, asset.place) : null;
		arranged.push({ asset, distance });
	}
	const byName = (a: Arranged, b: Arranged) =>
		a.asset.name.localeCompare(b.asset.name) || a.asset.id.localeCompare(b.asset.id);
	if (order === 'newest') {
		return arranged.sort((a, b) => b.asset.createdAt - a.asset.createdAt || byName(a, b));
	}
	if (order === 'distance') {
		return arranged.sort((a, b) => {
			if (a.distance !== null && b.distance !== null)
				return a.distance - b.distance || byName(a, b);
			if (a.distance !== null) return -1;
			if (b.distance !== null) return 1;
			return byName(a, b);
		});
	}
	return arranged.sort(byName);
}

/** Every tag in use, most used first. */
export function tagsIn(assets: Iterable<Asset>): string[] {
	const counts = new Map<string, { tag: string; n: number }>();
	for (const asset of assets) {
		for (const tag of asset.tags) {
			const key = tag.toLocaleLowerCase();
			const entry = counts.get(key) ?? { tag, n: 0 };
			entry.n += 1;
			counts.set(key, entry);
		}
	}
	return [...counts.values()]
		.sort((a, b) => b.n - a.n || a.tag.localeCompare(b.tag))
		.map((e) => e.tag);
}

/**
 * The links to show: both ends must exist. A link made on one device to an
 * asset another device deleted meanwhile is kept in the doc but never shown.
 */
export function liveLinks(
	links: Iterable<AssetLink>,
	assets: ReadonlyMap<string, Asset>
): AssetLink[] {
	return [...links].filter((link) => assets.has(link.from) && assets.has(link.to));
}

/**
 * For one asset: each link from its own side — the relation, which way it
 * reads, and the other asset — by relation, then by the other's name.
 */
export function linksOf(
	id: AssetId,
	links: Iterable<AssetLink>,
	assets: ReadonlyMap<string, Asset>
): { link: AssetLink; direction: LinkDirection; other: Asset }[] {
	const shown: { link: AssetLink; direction: LinkDirection; other: Asset }[] = [];
	for (const link of liveLinks(links, assets)) {
		if (link.from === id) shown.push({ link, direction: 'forward', other: assets.get(link.to)! });
		else if (link.to === id)
			shown.push({ link, direction: 'backward', other: assets.get(link.from)! });
	}
	const rank = (shown: { link: AssetLink; direction: LinkDirection }) =>
		RELATIONS.indexOf(shown.link.relation) * 2 + (shown.direction === 'forward' ? 0 : 1);
	return shown.sort((a, b) => rank(a) - rank(b) || a.other.name.localeCompare(b.other.name));
}
