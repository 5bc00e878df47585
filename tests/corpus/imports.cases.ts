// Bad inventory files (GeoJSON, as the assets page imports them), one a
// line. A file that is no inventory is refused whole, naming why; a file
// with some bad features brings in only the good ones and lists each bad
// one by its kind of problem.

/** One good feature of an export (a fresh copy each call), for cases to spoil. */
export type Feature = Record<string, unknown> & { properties: Record<string, unknown> };
type Make = (good: () => Feature) => string;

const collection = (...features: unknown[]) =>
	JSON.stringify({ type: 'FeatureCollection', features });

const spoiled = (change: (feature: Feature) => void) => (good: () => Feature) => {
	const feature = good();
	change(feature);
	return collection(feature);
};

/** Refused whole; or how many assets came in and the problems listed. */
export type ImportExpected =
	'not-json' | 'not-a-collection' | { added: number; problems: string[] };

const ONE_BAD_FEATURE = { added: 0, problems: ['not-a-feature'] };
const ONE_BAD_ASSET = { added: 0, problems: ['unreadable-asset'] };

export const importCases: [label: string, make: Make, expected: ImportExpected][] = [
	['an empty file', () => '', 'not-json'],
	['plain text', () => 'Church, Main street', 'not-json'],
	['a CSV file', () => 'id,name\nasset-1,Church\n', 'not-json'],
	['JSON cut short', (good) => collection(good()).slice(0, -5), 'not-json'],
	['JSON with a trailing comma', () => '{"type":"FeatureCollection","features":[],}', 'not-json'],
	['JSON nested 100,000 deep', () => '['.repeat(100_000) + ']'.repeat(100_000), 'not-a-collection'],
	['JSON null', () => 'null', 'not-a-collection'],
	['a JSON list of features', (good) => JSON.stringify([good()]), 'not-a-collection'],
	['a single feature', (good) => JSON.stringify(good()), 'not-a-collection'],
	[
		'features that are not a list',
		() => '{"type":"FeatureCollection","features":{}}',
		'not-a-collection'
	],
	[
		'a collection of another type',
		() => '{"type":"GeometryCollection","features":[]}',
		'not-a-collection'
	],
	[
		'a __proto__ type',
		() => '{"__proto__":{"type":"FeatureCollection"},"features":[]}',
		'not-a-collection'
	],
	['an empty collection', () => collection(), { added: 0, problems: [] }],
	['a feature that is null', () => collection(null), ONE_BAD_FEATURE],
	['a feature that is text', () => collection('Church'), ONE_BAD_FEATURE],
	['a feature with no id', spoiled((f) => delete f.id), ONE_BAD_FEATURE],
	['a feature with a numeric id', spoiled((f) => (f.id = 7)), ONE_BAD_FEATURE],
	['a feature of another type', spoiled((f) => (f.type = 'Polygon')), ONE_BAD_FEATURE],
	[
		'a line instead of a point',
		spoiled(
			(f) =>
				(f.geometry = {
					type: 'LineString',
					coordinates: [
						[0, 0],
						[1, 1]
					]
				})
		),
		ONE_BAD_FEATURE
	],
	[
		'a point with an altitude (GeoJSON allows one)',
		spoiled((f) => (f.geometry = { type: 'Point', coordinates: [0, 0, 0] })),
		{ added: 1, problems: [] }
	],
	[
		'a point of text',
		spoiled((f) => (f.geometry = { type: 'Point', coordinates: ['0', '0'] })),
		ONE_BAD_FEATURE
	],
	['no properties', spoiled((f) => delete (f as Partial<Feature>).properties), ONE_BAD_FEATURE],
	[
		'a place source nobody knows',
		spoiled((f) => (f.properties.placeSource = 'satellite')),
		ONE_BAD_FEATURE
	],
	['links that are not a list', spoiled((f) => (f.properties.links = 'all')), ONE_BAD_FEATURE],
	[
		'a point off the earth',
		spoiled((f) => (f.geometry = { type: 'Point', coordinates: [0, 95] })),
		ONE_BAD_ASSET
	],
	[
		'a feature id that is not one of ours',
		spoiled((f) => (f.id = 'javascript:alert(1)')),
		ONE_BAD_ASSET
	],
	['an asset of an unknown kind', spoiled((f) => (f.properties.kind = 'weapon')), ONE_BAD_ASSET],
	['an asset with no name', spoiled((f) => (f.properties.name = '')), ONE_BAD_ASSET],
	[
		'an asset with a 1 MB name',
		spoiled((f) => (f.properties.name = 'n'.repeat(1_000_000))),
		ONE_BAD_ASSET
	],
	[
		'an asset with a numeric description',
		spoiled((f) => (f.properties.description = 5)),
		ONE_BAD_ASSET
	],
	[
		'an asset on a map that is not one of ours',
		spoiled((f) => {
			f.geometry = null;
			f.properties.imagePlace = { map: '../../etc', x: 0, y: 0 };
		}),
		ONE_BAD_ASSET
	],
	[
		'a link of an unknown relation',
		spoiled(
			(f) =>
				(f.properties.links = [
					{ id: 'link-corpus-0001', relation: 'owns', to: 'asset-corpus-0002' }
				])
		),
		{ added: 1, problems: ['unreadable-link'] }
	],
	[
		'a link to a javascript: asset',
		spoiled(
			(f) =>
				(f.properties.links = [
					{ id: 'link-corpus-0001', relation: 'knows', to: 'javascript:alert(1)' }
				])
		),
		{ added: 1, problems: ['unreadable-link'] }
	],
	[
		'one bad feature among good ones',
		(good) => {
			const second = good();
			second.id = 'asset-corpus-0002';
			return collection(good(), null, second);
		},
		{ added: 2, problems: ['not-a-feature'] }
	],
	['the same asset twice', (good) => collection(good(), good()), { added: 1, problems: [] }],
	[
		'an asset already in the space, changed',
		(good) => {
			const feature = good();
			feature.id = 'asset-corpus-here';
			feature.properties.name = 'Overwritten?';
			return collection(feature);
		},
		{ added: 0, problems: [] }
	]
];
