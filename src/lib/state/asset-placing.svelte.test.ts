import { assetFields } from '../../../tests/support/assets';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AssetFields } from '../domain/assets';
import type { AssetId, MemberId } from '../domain/ids';
import { AssetPlacing, type PlacingDone } from './asset-placing.svelte';
import { AssetsModel } from './assets.svelte';

const ana = 'member-ana-0001' as MemberId;
const nurse: AssetFields = assetFields({ kind: 'skill', name: 'Marie — nurse' });
const spot = { kind: 'geo', lat: 25.77, lon: -80.19, source: 'map' } as const;

function setUp() {
	const model = new AssetsModel(new Y.Doc(), ana);
	const done: [AssetId, PlacingDone][] = [];
	const placing = new AssetPlacing(model, (id, what) => done.push([id, what]));
	return { model, placing, done };
}

describe('AssetPlacing', () => {
	it('moves an existing asset to the spot tapped, and says so', () => {
		const { model, placing, done } = setUp();
		const id = model.add(nurse);
		placing.placeExisting(id);
		expect(placing.isPlacing).toBe(true);
		expect(placing.target).toEqual({ what: 'existing', name: 'Marie — nurse' });

		placing.putAt(spot, null);
		expect(model.assets.get(id)?.place).toEqual(spot);
		expect(done).toEqual([[id, { what: 'pinned', name: 'Marie — nurse', map: null }]]);
		expect(placing.isPlacing).toBe(false);
		expect(placing.newPlace).toBeNull();
	});

	it('opens the form for a new asset at the spot, and adds it from there', () => {
		const { model, placing, done } = setUp();
		placing.placeNew();
		expect(placing.target).toEqual({ what: 'new' });
		placing.putAt(spot, null);
		expect(placing.isPlacing).toBe(false);
		expect(placing.newPlace).toEqual(spot);
		expect(done).toEqual([]);

		placing.add({ ...nurse, place: spot });
		const [[id, what]] = done as [[AssetId, PlacingDone]];
		expect(what).toEqual({ what: 'added', name: 'Marie — nurse' });
		expect(model.assets.get(id)?.place).toEqual(spot);
		expect(placing.newPlace).toBeNull();
	});

	it('does nothing on a tap when not placing, and can be cancelled', () => {
		const { model, placing, done } = setUp();
		const id = model.add(nurse);
		placing.putAt(spot, null);
		placing.placeExisting(id);
		placing.cancel();
		placing.putAt(spot, null);
		expect(model.assets.get(id)?.place).toEqual({ kind: 'none' });
		expect(done).toEqual([]);

		placing.placeNew();
		placing.putAt(spot, null);
		placing.cancelNew();
		expect(placing.newPlace).toBeNull();
		expect(model.assets.size).toBe(1);
	});
});
