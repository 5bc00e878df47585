import { assetFields } from '../../../tests/support/assets';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AssetFields } from '../domain/assets';
import type { Point } from '../domain/geo';
import { LocationError } from '../device/geolocation';
import type { MemberId } from '../domain/ids';
import { AssetListView } from './asset-list-view.svelte';
import { AssetsModel } from './assets.svelte';
import { follow } from './follow.test-helper.svelte';

const ana = 'member-ana-0001' as MemberId;
const base: AssetFields = assetFields({ kind: 'skill', name: '' });
const miami: Point = { lat: 25.7743, lon: -80.1937 };

function setUp(locate?: () => Promise<Point>) {
	const model = new AssetsModel(new Y.Doc(), ana);
	model.add({ ...base, name: 'Marie — nurse', tags: ['medical', 'Creole'] });
	model.add({
		...base,
		kind: 'place',
		name: 'Church',
		tags: ['medical'],
		place: { kind: 'geo', lat: 25.8, lon: -80.2, source: 'map' }
	});
	model.add({
		...base,
		kind: 'equipment',
		name: 'Boat',
		place: { kind: 'geo', lat: 25.78, lon: -80.19, source: 'gps' }
	});
	return { model, view: new AssetListView(model, locate) };
}
const names = (view: AssetListView) => view.arranged.map(({ asset }) => asset.name);

describe('AssetListView', () => {
	it('filters by search, kind and tag, and follows new assets', () => {
		const { model, view } = setUp();
		const { seen, stop } = follow(() => names(view).join(','));
		expect(seen).toEqual(['Boat,Church,Marie — nurse']);
		expect(view.tags).toEqual(['medical', 'Creole']);

		view.tag = 'medical';
		flushSync();
		expect(seen.at(-1)).toBe('Church,Marie — nurse');
		view.kind = 'skill';
		flushSync();
		expect(seen.at(-1)).toBe('Marie — nurse');
		view.kind = '';
		view.tag = '';
		view.search = 'BOAT';
		flushSync();
		expect(seen.at(-1)).toBe('Boat');

		view.search = '';
		model.add({ ...base, name: 'Ambulance' });
		flushSync();
		expect(seen.at(-1)).toBe('Ambulance,Boat,Church,Marie — nurse');
		expect(view.total).toBe(4);
		stop();
	});

	it('sorts from a typed position, and says what is wrong with one it cannot read', () => {
		const { view } = setUp();
		view.order = 'distance';
		expect(view.isWaitingForPosition).toBe(true);

		view.typedPosition = 'somewhere';
		view.useTypedPosition();
		expect(view.locationProblem).toBe('not-a-point');
		expect(view.me).toBeNull();

		view.typedPosition = '   ';
		view.useTypedPosition();
		expect(view.locationProblem).toBe('nothing-typed');

		view.order = 'name';
		view.typedPosition = '25.7743, -80.1937';
		view.useTypedPosition();
		expect(view.locationProblem).toBeNull();
		expect(view.me).toEqual(miami);
		expect(view.order).toBe('distance');
		expect(view.isWaitingForPosition).toBe(false);
		expect(names(view)).toEqual(['Boat', 'Church', 'Marie — nurse']);
		expect(view.arranged.map(({ distance }) => distance !== null)).toEqual([true, true, false]);
	});

	it('sorts from a point picked on a map, and shows it as typed', () => {
		const { view } = setUp();
		view.typedPosition = 'somewhere';
		view.useTypedPosition();
		view.useChosenPosition(miami);
		expect(view.locationProblem).toBeNull();
		expect(view.typedPosition).toBe('25.7743, -80.1937');
		expect(view.order).toBe('distance');
		expect(names(view)).toEqual(['Boat', 'Church', 'Marie — nurse']);
	});

	it('sorts from where the device is, or says why it cannot tell', async () => {
		const found = setUp(async () => miami);
		const locating = found.view.locateMe();
		expect(found.view.isLocating).toBe(true);
		await locating;
		expect(found.view.isLocating).toBe(false);
		expect(found.view.me).toEqual(miami);
		expect(found.view.order).toBe('distance');

		const lost = setUp(async () => {
			throw new LocationError('no-fix');
		});
		await lost.view.locateMe();
		expect(lost.view.isLocating).toBe(false);
		expect(lost.view.locationProblem).toBe('no-fix');
		expect(lost.view.me).toBeNull();
		expect(lost.view.order).toBe('name');
	});
});
