import { describe, expect, it } from 'vitest';
import type { Asset, AssetPlace } from '../domain/assets';
import type { AssetId, BaseMapId, MemberId } from '../domain/ids';
import { assetsOffMap, assetsOnMap, geoPins, imagePins } from './asset-pins';

const river = 'basemap-river-001' as BaseMapId;
const hills = 'basemap-hills-001' as BaseMapId;

function asset(id: string, name: string, place: AssetPlace): Asset {
	return {
		id: id as AssetId,
		kind: 'place',
		name,
		description: '',
		tags: [],
		availability: '',
		contact: '',
		locationText: '',
		place,
		createdBy: 'member-ana-0001' as MemberId,
		createdAt: 1,
		updatedAt: 1
	};
}

const church = asset('asset-church-01', 'St. Paul church', {
	kind: 'geo',
	lat: 25.77,
	lon: -80.19,
	source: 'map'
});
const school = asset('asset-school-01', 'School', { kind: 'image', map: river, x: 10, y: 20 });
const barn = asset('asset-barn-0001', 'Barn', { kind: 'image', map: hills, x: 5, y: 6 });
const nurse = asset('asset-nurse-001', 'Marie — nurse', { kind: 'none' });
const all = [church, school, barn, nurse];

describe('asset pins', () => {
	it('puts on each map only the assets placed on it', () => {
		expect(assetsOnMap(all, 'geo')).toEqual([church]);
		expect(assetsOnMap(all, river)).toEqual([school]);
		expect(assetsOnMap(all, hills)).toEqual([barn]);
	});

	it('offers the others for placing, by name', () => {
		expect(assetsOffMap(all, 'geo').map((a) => a.name)).toEqual([
			'Barn',
			'Marie — nurse',
			'School'
		]);
		expect(assetsOffMap(all, river).map((a) => a.name)).toEqual([
			'Barn',
			'Marie — nurse',
			'St. Paul church'
		]);
	});

	it('draws a pin with the kind and its colour where the asset is', () => {
		expect(geoPins(all)).toEqual([
			{
				id: church.id,
				name: 'St. Paul church',
				color: '#2e7031',
				kind: 'place',
				lat: 25.77,
				lon: -80.19
			}
		]);
		expect(imagePins([school, church])).toEqual([
			{ id: school.id, name: 'School', color: '#2e7031', kind: 'place', x: 10, y: 20 }
		]);
	});
});
