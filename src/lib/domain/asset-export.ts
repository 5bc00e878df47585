// The asset inventory as GeoJSON (RFC 7946) and CSV, for other mapping tools,
// for a paper backup, and — GeoJSON — to read back in.
//
// GeoJSON: one Feature per asset, its id the asset id. Assets with a point on
// the earth get a Point geometry ([longitude, latitude]); the rest get a null
// geometry (allowed by RFC 7946 §3.2), with their place on an image base map,
// if any, kept in `properties.imagePlace`. Links travel in the `from` asset's
// `properties.links`. Contact details stay out unless asked for: a file can
// leave the space, and contacts are meant to be seen only inside it.
import * as v from 'valibot';
import { toCsv } from './csv';
import { newId } from './ids';
import {
	parseAsset,
	parseLink,
	type Asset,
	type AssetLink,
	type AssetPlace,
	type BaseMap
} from './assets';

export const GEOJSON_FORMAT = 'barnraise-assets';
export const GEOJSON_VERSION = 1;

interface ExportOptions {
	includeContact: boolean;
}

export function assetsToGeoJson(
	assets: readonly Asset[],
	links: readonly AssetLink[],
	{ includeContact }: ExportOptions
): string {
	const features = assets.map((asset) => {
		const place = asset.place;
		return {
			type: 'Feature',
			id: asset.id,
			geometry:
				place.kind === 'geo' ? { type: 'Point', coordinates: [place.lon, place.lat] } : null,
			properties: {
				kind: asset.kind,
				name: asset.name,
				description: asset.description,
				tags: asset.tags,
				availability: asset.availability,
				...(includeContact ? { contact: asset.contact } : {}),
				locationText: asset.locationText,
				...(place.kind === 'geo' ? { placeSource: place.source } : {}),
				...(place.kind === 'image'
					? { imagePlace: { map: place.map, x: place.x, y: place.y } }
					: {}),
				createdBy: asset.createdBy,
				createdAt: asset.createdAt,
				updatedAt: asset.updatedAt,
				links: links
					.filter((link) => link.from === asset.id)
					.map((link) => ({
						id: link.id,
						relation: link.relation,
						to: link.to,
						createdBy: link.createdBy,
						createdAt: link.createdAt
					}))
			}
		};
	});
	return JSON.stringify(
		{
			type: 'FeatureCollection',
			barnraise: { format: GEOJSON_FORMAT, version: GEOJSON_VERSION },
			features
		},
		null,
		1
	);
}

const FeatureSchema = v.object({
	type: v.literal('Feature'),
	id: v.string(),
	geometry: v.nullable(
		v.object({
			type: v.literal('Point'),
			coordinates: v.tuple([v.number(), v.number()])
		})
	),
	properties: v.looseObject({
		placeSource: v.optional(v.picklist(['map', 'gps', 'typed'])),
		imagePlace: v.optional(v.object({ map: v.string(), x: v.number(), y: v.number() })),
		links: v.optional(v.array(v.looseObject({ id: v.optional(v.string()) })), [])
	})
});

/** A file that is no inventory at all: not JSON, or not a GeoJSON FeatureCollection. */
export class InventoryFileError extends Error {
	constructor(readonly problem: 'not-json' | 'not-a-collection') {
		super(problem === 'not-json' ? 'not JSON' : 'not a GeoJSON FeatureCollection');
		this.name = 'InventoryFileError';
	}
}

/**
 * A feature or link that could not be read, by its place in the file (from 1);
 * `detail` says what is wrong with the record (as for unreadable records).
 */
export type InventoryProblem =
	| { kind: 'not-a-feature'; feature: number }
	| { kind: 'unreadable-asset'; feature: number; name: string; detail: string }
	| { kind: 'unreadable-link'; asset: string; detail: string };

export interface ParsedInventory {
	assets: Asset[];
	links: AssetLink[];
	/** One per feature or link that could not be read; the rest still are. */
	problems: InventoryProblem[];
}

/** Read an inventory back from GeoJSON. Bad features are reported, not fatal. */
export function assetsFromGeoJson(text: string): ParsedInventory {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw new InventoryFileError('not-json');
	}
	const collection = data as { type?: unknown; features?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
		throw new InventoryFileError('not-a-collection');
	const result: ParsedInventory = { assets: [], links: [], problems: [] };
	collection.features.forEach((raw: unknown, index: number) => {
		const feature = v.safeParse(FeatureSchema, raw);
		if (!feature.success) {
			result.problems.push({ kind: 'not-a-feature', feature: index + 1 });
			return;
		}
		const { id, geometry, properties } = feature.output;
		const { placeSource, imagePlace, links, ...fields } = properties;
		let place: AssetPlace = { kind: 'none' };
		if (geometry) {
			const [lon, lat] = geometry.coordinates;
			place = { kind: 'geo', lat, lon, source: placeSource ?? 'typed' };
		} else if (imagePlace) {
			// The map id is checked with the rest of the asset just below.
			place = { kind: 'image', ...imagePlace } as AssetPlace;
		}
		const asset = parseAsset(id, { ...fields, place });
		if (!asset.ok) {
			result.problems.push({
				kind: 'unreadable-asset',
				feature: index + 1,
				name: String(fields.name ?? id),
				detail: asset.problem
			});
			return;
		}
		result.assets.push(asset.value);
		for (const rawLink of links) {
			const { id: linkId, ...rest } = rawLink;
			const link = parseLink(linkId ?? newId(), { ...rest, from: id });
			if (link.ok) result.links.push(link.value);
			else
				result.problems.push({
					kind: 'unreadable-link',
					asset: asset.value.name,
					detail: link.problem
				});
		}
	});
	return result;
}

/** The CSV's columns, in order; their headers, for people, are given in their language. */
export const CSV_COLUMNS = [
	'id',
	'kind',
	'name',
	'description',
	'tags',
	'availability',
	'contact',
	'location',
	'latitude',
	'longitude',
	'baseMap',
	'mapX',
	'mapY',
	'links'
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * One row per asset under two header rows: `headers` for people, then HXL
 * hashtags for tools. Kinds and relations stay as codes, the same in every
 * language, so a file reads back the same wherever it was made.
 */
export function assetsToCsv(
	assets: readonly Asset[],
	links: readonly AssetLink[],
	baseMaps: ReadonlyMap<string, BaseMap>,
	{ includeContact, headers }: ExportOptions & { headers: Record<CsvColumn, string> }
): string {
	const names = new Map(assets.map((asset) => [asset.id as string, asset.name]));
	const cells: Record<CsvColumn, [string, (asset: Asset) => string | number]> = {
		id: ['#meta+id', (a) => a.id],
		kind: ['#type', (a) => a.kind],
		name: ['#name', (a) => a.name],
		description: ['#description', (a) => a.description],
		tags: ['#meta+tags', (a) => a.tags.join('; ')],
		availability: ['#status+availability', (a) => a.availability],
		contact: ['#contact', (a) => a.contact],
		location: ['#loc+name', (a) => a.locationText],
		latitude: ['#geo+lat', (a) => (a.place.kind === 'geo' ? a.place.lat : '')],
		longitude: ['#geo+lon', (a) => (a.place.kind === 'geo' ? a.place.lon : '')],
		baseMap: [
			'#meta+basemap',
			(a) => (a.place.kind === 'image' ? (baseMaps.get(a.place.map)?.name ?? a.place.map) : '')
		],
		mapX: ['#meta+x', (a) => (a.place.kind === 'image' ? Math.round(a.place.x) : '')],
		mapY: ['#meta+y', (a) => (a.place.kind === 'image' ? Math.round(a.place.y) : '')],
		links: [
			'#meta+links',
			(a) =>
				links
					.filter((link) => link.from === a.id && names.has(link.to))
					.map((link) => `${link.relation}: ${names.get(link.to)}`)
					.join('; ')
		]
	};
	const columns = CSV_COLUMNS.filter((column) => includeContact || column !== 'contact');
	return toCsv({
		headers: columns.map((column) => headers[column]),
		hxl: columns.map((column) => cells[column][0]),
		rows: assets.map((asset) => columns.map((column) => cells[column][1](asset)))
	});
}
