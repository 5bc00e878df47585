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

export interface ParsedInventory {
	assets: Asset[];
	links: AssetLink[];
	/** One line per feature or link that could not be read; the rest still are. */
	problems: string[];
}

/** Read an inventory back from GeoJSON. Bad features are reported, not fatal. */
export function assetsFromGeoJson(text: string): ParsedInventory {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw new Error('That file is not GeoJSON: it is not even JSON.');
	}
	const collection = data as { type?: unknown; features?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
		throw new Error('That file is not a GeoJSON FeatureCollection.');
	const result: ParsedInventory = { assets: [], links: [], problems: [] };
	collection.features.forEach((raw: unknown, index: number) => {
		const feature = v.safeParse(FeatureSchema, raw);
		if (!feature.success) {
			result.problems.push(
				`Feature ${index + 1}: not a point or null-geometry feature with an id.`
			);
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
			result.problems.push(`Feature ${index + 1} (${String(fields.name ?? id)}): ${asset.problem}`);
			return;
		}
		result.assets.push(asset.value);
		for (const rawLink of links) {
			const { id: linkId, ...rest } = rawLink;
			const link = parseLink(linkId ?? newId(), { ...rest, from: id });
			if (link.ok) result.links.push(link.value);
			else result.problems.push(`A link of ${asset.value.name}: ${link.problem}`);
		}
	});
	return result;
}

export function assetsToCsv(
	assets: readonly Asset[],
	links: readonly AssetLink[],
	baseMaps: ReadonlyMap<string, BaseMap>,
	{ includeContact }: ExportOptions
): string {
	const names = new Map(assets.map((asset) => [asset.id as string, asset.name]));
	const columns: [string, string, (asset: Asset) => string | number][] = [
		['id', '#meta+id', (a) => a.id],
		['kind', '#type', (a) => a.kind],
		['name', '#name', (a) => a.name],
		['description', '#description', (a) => a.description],
		['tags', '#meta+tags', (a) => a.tags.join('; ')],
		['availability', '#status+availability', (a) => a.availability],
		...(includeContact
			? [['contact', '#contact', (a: Asset) => a.contact] as [string, string, (a: Asset) => string]]
			: []),
		['location', '#loc+name', (a) => a.locationText],
		['latitude', '#geo+lat', (a) => (a.place.kind === 'geo' ? a.place.lat : '')],
		['longitude', '#geo+lon', (a) => (a.place.kind === 'geo' ? a.place.lon : '')],
		[
			'base map',
			'#meta+basemap',
			(a) => (a.place.kind === 'image' ? (baseMaps.get(a.place.map)?.name ?? a.place.map) : '')
		],
		['map x', '#meta+x', (a) => (a.place.kind === 'image' ? Math.round(a.place.x) : '')],
		['map y', '#meta+y', (a) => (a.place.kind === 'image' ? Math.round(a.place.y) : '')],
		[
			'links',
			'#meta+links',
			(a) =>
				links
					.filter((link) => link.from === a.id && names.has(link.to))
					.map((link) => `${link.relation}: ${names.get(link.to)}`)
					.join('; ')
		]
	];
	return toCsv({
		headers: columns.map(([header]) => header),
		hxl: columns.map(([, tag]) => tag),
		rows: assets.map((asset) => columns.map(([, , cell]) => cell(asset)))
	});
}
