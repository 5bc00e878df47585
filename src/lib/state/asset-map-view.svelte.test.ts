import { assetFields } from '../../../tests/support/assets';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AssetFields } from '../domain/assets';
import type { MemberId } from '../domain/ids';
import { addBaseMap } from '../doc/assets-doc';
import { AssetMapView } from './asset-map-view.svelte';
import { AssetsModel } from './assets.svelte';
import { follow } from './follow.test-helper.svelte';

const ana = 'member-ana-0001' as MemberId;
const base: AssetFields = assetFields({ kind: 'place', name: 'Church' });

function pictureMap(doc: Y.Doc, name: string, now: number) {
	const description = { name, width: 100, height: 80, mime: 'image/png' as const };
	return addBaseMap(doc, description, new Uint8Array([1, 2, 3]), ana, now);
}

describe('AssetMapView', () => {
	it('shows points on the earth until there is a picture map, then the newest', () => {
		const doc = new Y.Doc();
		const model = new AssetsModel(doc, ana);
		const view = new AssetMapView(model);
		const church = model.add({
			...base,
			place: { kind: 'geo', lat: 25.77, lon: -80.19, source: 'map' }
		});
		model.add({ ...base, name: 'Barn' });
		const { seen, stop } = follow(
			() => `${view.current?.name ?? 'geo'}|${view.geoPins.length}|${view.imagePins.length}`
		);
		expect(view.geo).toBe(true);
		expect(view.isMapShown).toBe(true);
		expect(view.geoPins.map((pin) => pin.id)).toEqual([church]);
		expect(view.notOnThisMap.map((asset) => asset.name)).toEqual(['Barn']);

		const river = pictureMap(doc, 'River', 1);
		pictureMap(doc, 'Hills', 2);
		flushSync();
		expect(seen).toEqual(['geo|1|0', 'Hills|0|0']);
		expect(view.imageUrl).toMatch(/^blob:/);
		expect(view.notOnThisMap.map((asset) => asset.name)).toEqual(['Barn', 'Church']);

		view.chosen = river;
		model.add({ ...base, name: 'School', place: { kind: 'image', map: river, x: 1, y: 2 } });
		flushSync();
		expect(seen.at(-1)).toBe('River|0|1');

		view.chosen = 'geo';
		flushSync();
		expect(seen.at(-1)).toBe('geo|1|0');
		stop();
	});

	it('removes the current picture map and goes back to the newest one left', () => {
		const doc = new Y.Doc();
		const model = new AssetsModel(doc, ana);
		const view = new AssetMapView(model);
		const river = pictureMap(doc, 'River', 1);
		pictureMap(doc, 'Hills', 2);
		view.chosen = river;
		expect(view.removeCurrent()?.name).toBe('River');
		expect(view.chosen).toBe('');
		expect(view.current?.name).toBe('Hills');
		view.chosen = 'geo';
		expect(view.removeCurrent()).toBeNull();
		expect(model.baseMaps.map((map) => map.name)).toEqual(['Hills']);
	});
});
