// MapLibre styles for the geographic base map, built on the device with no
// network: a plain ground; a PMTiles archive of raster tiles; a PMTiles
// archive of vector tiles, drawn generically (every layer it lists, as fills,
// lines and dots — no labels, since fonts would have to come from a server);
// or online raster tiles from the address set in Settings.
import type { StyleSpecification, LayerSpecification } from 'maplibre-gl';

export const GROUND = '#ece6dc';

export function blankStyle(): StyleSpecification {
	return {
		version: 8,
		sources: {},
		layers: [{ id: 'ground', type: 'background', paint: { 'background-color': GROUND } }]
	};
}

/** The server an online tile address points at, to credit it under the map. */
export function tileHost(template: string): string {
	return new URL(template.replace(/\{[xyz]\}/g, '0')).host;
}

/** Online raster tiles; `attribution` credits their server (see tileHost), in the person's words. */
export function onlineStyle(template: string, attribution: string): StyleSpecification {
	return {
		version: 8,
		sources: {
			online: {
				type: 'raster',
				tiles: [template],
				tileSize: 256,
				maxzoom: 19,
				attribution
			}
		},
		layers: [
			{ id: 'ground', type: 'background', paint: { 'background-color': GROUND } },
			{ id: 'online', type: 'raster', source: 'online' }
		]
	};
}

/** Colors for vector layers, picked by name so water looks like water when it is called so. */
function colorFor(layer: string): string {
	const name = layer.toLowerCase();
	if (/water|ocean|river|lake|sea/.test(name)) return '#9cc3e0';
	if (/park|green|wood|forest|grass|landcover|landuse/.test(name)) return '#c9dfb4';
	if (/build/.test(name)) return '#d6cbbf';
	if (/road|street|transport|highway|rail/.test(name)) return '#ffffff';
	if (/boundar|admin/.test(name)) return '#9b8aa6';
	return '#cfc5b8';
}

export function pmtilesStyle(
	url: string,
	raster: boolean,
	vectorLayers: readonly string[],
	zooms: { minzoom: number; maxzoom: number }
): StyleSpecification {
	if (raster) {
		return {
			version: 8,
			sources: { area: { type: 'raster', url, tileSize: 256, ...zooms } },
			layers: [
				{ id: 'ground', type: 'background', paint: { 'background-color': GROUND } },
				{ id: 'area', type: 'raster', source: 'area' }
			]
		};
	}
	const layers: LayerSpecification[] = [
		{ id: 'ground', type: 'background', paint: { 'background-color': GROUND } }
	];
	for (const layer of vectorLayers) {
		const color = colorFor(layer);
		layers.push(
			{
				id: `${layer}-fill`,
				type: 'fill',
				source: 'area',
				'source-layer': layer,
				filter: ['==', ['geometry-type'], 'Polygon'],
				paint: { 'fill-color': color, 'fill-opacity': 0.9 }
			},
			{
				id: `${layer}-line`,
				type: 'line',
				source: 'area',
				'source-layer': layer,
				filter: ['==', ['geometry-type'], 'LineString'],
				paint: {
					'line-color': color === '#ffffff' ? '#a89f94' : color,
					'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 16, 3]
				}
			},
			{
				id: `${layer}-dot`,
				type: 'circle',
				source: 'area',
				'source-layer': layer,
				filter: ['==', ['geometry-type'], 'Point'],
				minzoom: 13,
				paint: { 'circle-radius': 2, 'circle-color': '#7a6e62' }
			}
		);
	}
	return { version: 8, sources: { area: { type: 'vector', url, ...zooms } }, layers };
}

/** Whether this browser can draw WebGL at all (MapLibre needs it). */
export function hasWebGL(): boolean {
	try {
		const canvas = document.createElement('canvas');
		return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
	} catch {
		return false;
	}
}
