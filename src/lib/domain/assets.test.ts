import { describe, expect, it } from 'vitest';
import {
	arrangeAssets,
	linksOf,
	liveLinks,
	NO_FILTER,
	parseAsset,
	parseLink,
	parseTagList,
	tagsIn,
	validateAssetFields
} from './assets';
import { distanceMetres } from './geo';
import { type AssetId } from './ids';
import { asset, BY, link } from '../../../tests/support/assets';

describe('asset validation', () => {
	it('accepts a full asset and normalizes its tags', () => {
		const result = validateAssetFields({
			kind: 'skill',
			name: '  Marie, nurse ',
			tags: ['first aid', ' Haitian Creole', 'First Aid', 'x'],
			availability: 'weekends',
			place: { kind: 'geo', lat: 25.77, lon: -80.19, source: 'gps' }
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.fields.name).toBe('Marie, nurse');
		expect(result.fields.tags).toEqual(['first aid', 'Haitian Creole', 'x']);
		expect(result.fields.place).toEqual({ kind: 'geo', lat: 25.77, lon: -80.19, source: 'gps' });
	});

	it('says which field is wrong, and why', () => {
		const result = validateAssetFields({
			kind: 'spaceship',
			name: '',
			place: { kind: 'geo', lat: 95, lon: 0, source: 'map' },
			tags: Array.from({ length: 31 }, (_, i) => `t${i}`)
		});
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toEqual({
			kind: 'unknown-kind',
			name: 'name-length',
			place: 'off-the-earth',
			tags: 'too-many-or-too-long'
		});
	});

	it('lists a peer’s malformed records as unreadable, with why', () => {
		expect(parseAsset('asset-0000000001', { kind: 'skill' })).toMatchObject({ ok: false });
		expect(parseAsset('bad id!', {}).ok).toBe(false);
		const placeOnImage = parseAsset('asset-0000000002', {
			kind: 'place',
			name: 'Water point',
			place: { kind: 'image', map: 'map-000000000001', x: -4, y: 10 },
			createdBy: BY,
			createdAt: 1,
			updatedAt: 1
		});
		expect(placeOnImage).toMatchObject({ ok: false });
		expect(
			parseLink('link-0000000001', {
				from: 'asset-0000000001',
				to: 'asset-0000000001',
				relation: 'knows',
				createdBy: BY,
				createdAt: 1
			})
		).toMatchObject({ ok: false, problem: expect.stringMatching(/itself/) });
		expect(
			parseLink('link-0000000002', {
				from: 'asset-0000000001',
				to: 'asset-0000000002',
				relation: 'owes money to',
				createdBy: BY,
				createdAt: 1
			}).ok
		).toBe(false);
	});

	it('splits typed tags on commas, semicolons and lines', () => {
		expect(parseTagList('plumbing, Haitian Creole;first aid\n\nplumbing')).toEqual([
			'plumbing',
			'Haitian Creole',
			'first aid'
		]);
	});
});

describe('distance', () => {
	it('matches known great-circle distances', () => {
		// Miami to Port-au-Prince: about 1,130 km.
		const d = distanceMetres({ lat: 25.7617, lon: -80.1918 }, { lat: 18.5944, lon: -72.3074 });
		expect(d / 1000).toBeGreaterThan(1100);
		expect(d / 1000).toBeLessThan(1160);
		expect(distanceMetres({ lat: 10, lon: 10 }, { lat: 10, lon: 10 })).toBe(0);
		// Across the antimeridian is short, not half the world.
		expect(distanceMetres({ lat: 0, lon: 179.9 }, { lat: 0, lon: -179.9 })).toBeLessThan(25_000);
	});

	it('sorts nearest first, and what has no point on the earth after, by name', () => {
		const me = { lat: 25.77, lon: -80.19 };
		const assets = [
			asset('far', { place: { kind: 'geo', lat: 26.12, lon: -80.14, source: 'map' } }),
			asset('zeta-nowhere'),
			asset('near', { place: { kind: 'geo', lat: 25.771, lon: -80.191, source: 'gps' } }),
			asset('alpha-on-image', { place: { kind: 'image', map: 'm' as never, x: 1, y: 1 } })
		];
		const sorted = arrangeAssets(assets, NO_FILTER, 'distance', me);
		expect(sorted.map((a) => a.asset.id)).toEqual([
			'near',
			'far',
			'alpha-on-image',
			'zeta-nowhere'
		]);
		expect(sorted[0]?.distance).toBeLessThan(200);
		expect(sorted[2]?.distance).toBeNull();
		// With no position of mine, distance order is name order.
		expect(arrangeAssets(assets, NO_FILTER, 'distance', null).map((a) => a.asset.id)).toEqual([
			'alpha-on-image',
			'far',
			'near',
			'zeta-nowhere'
		]);
	});
});

describe('filtering and links', () => {
	const assets = [
		asset('marie', { name: 'Marie', tags: ['nurse', 'Haitian Creole'], description: 'ER nurse' }),
		asset('truck', { kind: 'equipment', name: 'Box truck', availability: 'weekends' }),
		asset('church', { kind: 'association', name: 'St. Paul church', tags: ['kitchen'] })
	];

	it('filters by kind, by tag (any case) and by every search word', () => {
		const ids = (filter: Partial<typeof NO_FILTER>) =>
			arrangeAssets(assets, { ...NO_FILTER, ...filter }, 'name', null).map((a) => a.asset.id);
		expect(ids({ kinds: ['equipment', 'association'] })).toEqual(['truck', 'church']);
		expect(ids({ tag: 'haitian creole' })).toEqual(['marie']);
		expect(ids({ search: 'nurse er' })).toEqual(['marie']);
		expect(ids({ search: 'weekends truck' })).toEqual(['truck']);
		expect(ids({ search: 'nobody' })).toEqual([]);
		expect(tagsIn([...assets, asset('x', { tags: ['Nurse'] })])[0]).toBe('nurse');
	});

	it('never shows a link whose other end is gone, and reads links from either side', () => {
		const byId = new Map(assets.map((a) => [a.id as string, a]));
		const links = [
			link('l1', 'marie', 'member-of', 'church'),
			link('l2', 'church', 'can-supply', 'truck'),
			link('l3', 'marie', 'knows', 'deleted-elsewhere')
		];
		expect(liveLinks(links, byId).map((l) => l.id)).toEqual(['l1', 'l2']);
		expect(
			linksOf('church' as AssetId, links, byId).map(
				(l) => `${l.link.relation} ${l.direction} ${l.other.name}`
			)
		).toEqual(['member-of backward Marie', 'can-supply forward Box truck']);
		expect(linksOf('marie' as AssetId, links, byId)).toHaveLength(1);
	});
});
