// The asset map's choice of map and what it shows: the chosen picture base
// map (or points on the earth), its picture, the assets on it and their pins,
// and the assets one could still place there.
import type { Asset, BaseMap } from '../domain/assets';
import type { BaseMapId } from '../domain/ids';
import {
	assetsOffMap,
	assetsOnMap,
	geoPins,
	imagePins,
	type GeoPin,
	type MapPin
} from '../map/asset-pins';
import type { AssetsModel } from './assets.svelte';

/** A base map's id, 'geo' for points on the earth, or '' for the newest picture map. */
export type MapChoice = BaseMapId | 'geo' | '';

export class AssetMapView {
	#model: Pick<AssetsModel, 'assets' | 'baseMaps' | 'imageUrl' | 'removeBaseMap'>;

	chosen = $state<MapChoice>('');

	/** Points on the earth: chosen, or the only map there is. */
	readonly geo = $derived.by(() => this.chosen === 'geo' || this.#model.baseMaps.length === 0);
	/** The picture base map shown, or null on points on the earth. */
	readonly current: BaseMap | null = $derived.by(() => {
		if (this.geo) return null;
		const maps = this.#model.baseMaps;
		return maps.find((map) => map.id === this.chosen) ?? maps.at(-1) ?? null;
	});
	/** The current map's picture, or null until its bytes have arrived. */
	readonly imageUrl = $derived.by(() => (this.current ? this.#model.imageUrl(this.current) : null));
	/** Whether a map is on screen to place things on. */
	readonly isMapShown = $derived.by(
		() => this.geo || (this.current !== null && this.imageUrl !== null)
	);
	readonly onThisMap: Asset[] = $derived.by(() =>
		assetsOnMap(this.#model.assets.values(), this.current?.id ?? 'geo')
	);
	readonly notOnThisMap: Asset[] = $derived.by(() =>
		assetsOffMap(this.#model.assets.values(), this.current?.id ?? 'geo')
	);
	readonly geoPins: GeoPin[] = $derived.by(() => geoPins(this.onThisMap));
	readonly imagePins: MapPin[] = $derived.by(() => imagePins(this.onThisMap));

	constructor(model: Pick<AssetsModel, 'assets' | 'baseMaps' | 'imageUrl' | 'removeBaseMap'>) {
		this.#model = model;
	}

	/** Remove the current picture map for everyone and go back to the newest. */
	removeCurrent(): BaseMap | null {
		const removed = this.current;
		if (!removed) return null;
		this.#model.removeBaseMap(removed.id);
		this.chosen = '';
		return removed;
	}
}
