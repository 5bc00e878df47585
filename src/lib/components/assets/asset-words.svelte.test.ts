import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/state/locale.svelte';
import {
	distanceText,
	fieldErrors,
	gridLineName,
	importOutcome,
	relationWords
} from './asset-words';

describe('the asset views’ words', () => {
	afterEach(() => locale.set('en'));

	it('says distances rounded, in the person’s numbers', () => {
		expect([distanceText(849), distanceText(3240), distanceText(41_200)]).toEqual([
			'850 m',
			'3.2 km',
			'41 km'
		]);
		locale.set('es');
		// The test browser asks for English only, so Spanish formats as plain es.
		expect(distanceText(3240)).toBe('3,2 km');
	});

	it('counts what an import brought in, one and many', () => {
		const done = { ok: true as const, file: 'a.geojson', problems: [] };
		expect(importOutcome({ ...done, assets: 1, links: 0 })).toBe(
			'Imported 1 new asset and 0 links from a.geojson (assets already here were kept as they are).'
		);
		locale.set('es');
		expect(importOutcome({ ...done, assets: 3, links: 1 })).toBe(
			'Se importaron 3 recursos nuevos y 1 relación de a.geojson (los recursos que ya estaban aquí se quedaron como estaban).'
		);
		expect(
			importOutcome({
				...done,
				assets: 0,
				links: 0,
				problems: [{ kind: 'not-a-feature', feature: 2 }]
			})
		).toMatch(/ No se pudo leer 1: Elemento 2: /);
		expect(importOutcome({ ok: false, problem: 'not-json', detail: '' })).toBe(
			'Ese archivo no es GeoJSON: ni siquiera es JSON. No se cambió nada.'
		);
		expect(
			importOutcome({ ok: false, problem: 'too-large', detail: '', max: 32 * 1024 * 1024 })
		).toBe(
			'Ese archivo pesa más de 32 MiB, más que cualquier inventario de Barnraise; no se abrió. No se cambió nada.'
		);
	});

	it('puts reasons and relations in words', () => {
		expect(fieldErrors({ name: 'name-length', place: 'off-the-earth' })).toEqual({
			name: 'Give it a name (1 to 120 characters).',
			place: 'That point is not on the map: latitude −90 to 90, longitude −180 to 180.'
		});
		expect(relationWords('member-of', 'backward')).toBe('has as a member');
		locale.set('es');
		expect(relationWords('member-of', 'backward')).toBe('tiene como miembro a');
		expect([gridLineName(-80.19, 'lon', 2), gridLineName(25.8, 'lat', 1)]).toEqual([
			'80.19° O',
			'25.8° N'
		]);
	});
});
