import { describe, expect, it } from 'vitest';
import { asset, link } from '../../../tests/support/assets';
import {
	assetsFromGeoJson,
	assetsToCsv,
	assetsToGeoJson,
	CSV_COLUMNS,
	type CsvColumn
} from './asset-export';
import type { BaseMap } from './assets';
import { parseCsv } from './csv';

const inventory = [
	asset('asset-marie-001', {
		name: 'Marie — nurse, "ER"',
		tags: ['first aid', 'Haitian Creole'],
		availability: 'weekends',
		contact: '+1 305 555 0101',
		place: { kind: 'geo', lat: 25.7743, lon: -80.1937, source: 'gps' }
	}),
	asset('asset-church-01', {
		kind: 'association',
		name: 'St. Paul church',
		description: 'Kitchen, 200 meals a day\nhall for 80 cots',
		place: { kind: 'image', map: 'basemap-00001' as never, x: 412.5, y: 96 }
	}),
	asset('asset-truck-001', {
		kind: 'equipment',
		name: '=Box truck',
		locationText: 'behind the school'
	})
];
const links = [
	link('link-000000001', 'asset-marie-001', 'member-of', 'asset-church-01'),
	link('link-000000002', 'asset-church-01', 'can-supply', 'asset-truck-001')
];

describe('GeoJSON export', () => {
	it('round-trips every asset and link, places on the earth and on image maps', () => {
		const text = assetsToGeoJson(inventory, links, { includeContact: true });
		const data = JSON.parse(text);
		expect(data.type).toBe('FeatureCollection');
		// RFC 7946: longitude first; no point → null geometry.
		expect(data.features[0].geometry).toEqual({ type: 'Point', coordinates: [-80.1937, 25.7743] });
		expect(data.features[1].geometry).toBeNull();
		const back = assetsFromGeoJson(text);
		expect(back.problems).toEqual([]);
		expect(back.assets).toEqual(inventory);
		expect(back.links).toEqual(links);
	});

	it('leaves contact details out unless asked', () => {
		const text = assetsToGeoJson(inventory, links, { includeContact: false });
		expect(text).not.toContain('555 0101');
		expect(assetsFromGeoJson(text).assets[0]?.contact).toBe('');
	});

	it('reads what it can of a damaged file and says what it could not', () => {
		const data = JSON.parse(assetsToGeoJson(inventory, links, { includeContact: false }));
		data.features[1].properties.kind = 'spaceship';
		data.features[2].geometry = { type: 'Polygon', coordinates: [] };
		data.features[0].properties.links.push({
			relation: 'knows',
			to: 'asset-marie-001',
			createdBy: 'member-ana-0001',
			createdAt: 1
		});
		const back = assetsFromGeoJson(JSON.stringify(data));
		expect(back.assets.map((a) => a.id)).toEqual(['asset-marie-001']);
		expect(back.problems).toEqual([
			{
				kind: 'unreadable-link',
				asset: 'Marie — nurse, "ER"',
				detail: expect.stringMatching(/itself/)
			},
			{
				kind: 'unreadable-asset',
				feature: 2,
				name: 'St. Paul church',
				detail: expect.stringMatching(/^kind/)
			},
			{ kind: 'not-a-feature', feature: 3 }
		]);
		expect(() => assetsFromGeoJson('{"type":"Feature"}')).toThrow(
			expect.objectContaining({ problem: 'not-a-collection' })
		);
		expect(() => assetsFromGeoJson('not json')).toThrow(
			expect.objectContaining({ problem: 'not-json' })
		);
	});
});

describe('CSV export', () => {
	const headers = Object.fromEntries(CSV_COLUMNS.map((column) => [column, column])) as Record<
		CsvColumn,
		string
	>;

	it('has one row per asset with place, links by name, and a safe first character', () => {
		const maps = new Map([['basemap-00001', { name: 'Block 14 sketch' } as BaseMap]]);
		const rows = parseCsv(assetsToCsv(inventory, links, maps, { includeContact: false, headers }));
		expect(rows[0]).not.toContain('contact');
		expect(rows[1]?.[0]).toBe('#meta+id');
		const byName = (name: string) => rows.find((row) => row[2] === name);
		const marie = byName('Marie — nurse, "ER"');
		expect(marie?.slice(7, 9)).toEqual(['25.7743', '-80.1937']);
		expect(marie?.at(-1)).toBe('member-of: St. Paul church');
		expect(byName('St. Paul church')?.slice(9, 12)).toEqual(['Block 14 sketch', '413', '96']);
		expect(byName("'=Box truck")).toBeDefined();
		expect(rows).toHaveLength(2 + inventory.length);
	});
});
