// Which assets a map shows and the pins it draws for them, for both kinds of
// asset map: points on the earth ('geo') and a picture base map (by its id).
// Pure: the view derives these from the assets it reads.
import type { Asset, AssetKind } from '../domain/assets';
import type { BaseMapId } from '../domain/ids';
import { KIND_STYLE } from './kind-style';

/** Points on the earth, or one picture base map. */
export type MapShown = 'geo' | BaseMapId;

/** What a pin shows of an asset, wherever it is (its kind's letter is a word, from the view). */
export interface PinMarker {
	id: string;
	name: string;
	kind: AssetKind;
	color: string;
}
export interface GeoPin extends PinMarker {
	lat: number;
	lon: number;
}
export interface MapPin extends PinMarker {
	/** In the picture's own pixels. */
	x: number;
	y: number;
}

export function isOnMap(asset: Asset, map: MapShown): boolean {
	return map === 'geo'
		? asset.place.kind === 'geo'
		: asset.place.kind === 'image' && asset.place.map === map;
}

/** The assets with a place on `map`, in the order given. */
export function assetsOnMap(assets: Iterable<Asset>, map: MapShown): Asset[] {
	return [...assets].filter((asset) => isOnMap(asset, map));
}

/** The assets without a place on `map`, by name: those one could place on it. */
export function assetsOffMap(assets: Iterable<Asset>, map: MapShown): Asset[] {
	return [...assets]
		.filter((asset) => !isOnMap(asset, map))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function marker(asset: Asset): PinMarker {
	return { id: asset.id, name: asset.name, kind: asset.kind, color: KIND_STYLE[asset.kind].color };
}

/** Pins for the assets that are points on the earth; others are left out. */
export function geoPins(assets: readonly Asset[]): GeoPin[] {
	return assets.flatMap((asset) =>
		asset.place.kind === 'geo'
			? [{ ...marker(asset), lat: asset.place.lat, lon: asset.place.lon }]
			: []
	);
}

/** Pins for the assets placed on a picture map; others are left out. */
export function imagePins(assets: readonly Asset[]): MapPin[] {
	return assets.flatMap((asset) =>
		asset.place.kind === 'image' ? [{ ...marker(asset), x: asset.place.x, y: asset.place.y }] : []
	);
}
