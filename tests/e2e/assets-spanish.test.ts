// The assets part of a space in Spanish, on a phone: every screen — the list,
// the form, filters, an asset and its links, export and import, the map, a
// pin placed by a tap, a picture map — says nothing in English and fits the
// screen, on the secure origin and on plain http alike.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { englishLeft } from '../support/english-left';
import { openDevice } from '../support/harness';
import { overflowing, PHONE } from '../support/phone';
import { useServerAndBrowser } from '../support/suite';

/** Names of things that are the same in Spanish (formats, the app's name). */
const ALLOWED = ['GeoJSON', 'CSV', 'Barnraise', 'PMTiles', 'GPS', 'WebGL', 'MB', 'km'];

/** What one screen still says in English or pushes past the phone's width, by screen. */
async function check(page: Page, screen: string, found: string[]) {
	for (const text of await englishLeft(page, ALLOWED)) found.push(`${screen}: ${text}`);
	for (const wide of await overflowing(page)) found.push(`${screen}: too wide: ${wide}`);
}

/** The middle of an element on screen. */
async function centerOf(element: Locator) {
	const box = (await element.boundingBox())!;
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A pin stands where the map was tapped, give or take a pixel or two of rounding. */
async function expectPinAt(pin: Locator, map: Locator, tapped: { x: number; y: number }) {
	const box = (await map.boundingBox())!;
	const at = await centerOf(pin);
	expect(Math.abs(at.x - (box.x + tapped.x))).toBeLessThan(3);
	expect(Math.abs(at.y - (box.y + tapped.y))).toBeLessThan(3);
}

interface SpanishAsset {
	kind: 'skill' | 'association' | 'institution' | 'place' | 'equipment';
	name: string;
	tags?: string;
	availability?: string;
	point?: string;
}

/** Add an asset from the list, reading the Spanish form as a person would. */
async function addAsset(page: Page, asset: SpanishAsset) {
	await page.getByRole('button', { name: 'Agregar un recurso' }).click();
	const form = page.locator('form.asset-form');
	await form.getByLabel('Tipo').selectOption(asset.kind);
	await form.getByLabel('Nombre').fill(asset.name);
	if (asset.tags) await form.getByLabel(/^Etiquetas/).fill(asset.tags);
	if (asset.availability) await form.getByLabel('Disponibilidad').fill(asset.availability);
	if (asset.point) {
		await form.getByLabel('un punto en la Tierra').check();
		await form.getByLabel('Latitud, longitud').fill(asset.point);
	}
	await form.getByRole('button', { name: 'Agregar recurso' }).click();
	await form.waitFor({ state: 'detached' });
}

describe('assets in Spanish, at phone size', () => {
	const suite = useServerAndBrowser();

	for (const origin of ['secure', 'plain http'] as const) {
		it(`says everything in Spanish and fits the phone (${origin})`, async () => {
			const url = origin === 'secure' ? suite.server.url : suite.server.insecureUrl;
			const found: string[] = [];
			const { page, errors } = await openDevice(suite.browser, url, {
				...PHONE,
				locale: 'es-MX'
			});
			await page.getByLabel('Tu nombre en los espacios').fill('Ana');
			await page.getByRole('button', { name: 'Continuar' }).click();
			await page.getByLabel('Nuevo espacio').fill('Respuesta a la inundación');
			await page.getByRole('button', { name: 'Crear espacio' }).click();
			await page.getByTestId('space-name').waitFor();
			await page
				.getByRole('navigation', { name: 'Secciones del espacio' })
				.getByRole('link', { name: 'Recursos' })
				.click();

			// The list, empty.
			await page.getByRole('heading', { name: 'Recursos de la comunidad' }).waitFor();
			await page.getByText('Todavía no hay recursos.').waitFor();
			await check(page, 'empty list', found);

			// The form, and what it says about what is missing or wrong.
			await page.getByRole('button', { name: 'Agregar un recurso' }).click();
			const form = page.locator('form.asset-form');
			await check(page, 'form', found);
			await form.getByLabel('un punto en la Tierra').check();
			await form.getByLabel('Latitud, longitud').fill('95, 10');
			await form.getByRole('button', { name: 'Agregar recurso' }).click();
			await form.getByText('Ese punto no está en el mapa').waitFor();
			await form.getByText('Ponle un nombre (de 1 a 120 caracteres).').waitFor();
			if (origin === 'plain http') {
				await form.getByRole('button', { name: 'Usar mi ubicación (GPS)' }).click();
				await form.getByText('solo en páginas seguras (https)').waitFor();
			}
			await check(page, 'form with errors', found);
			await form.getByRole('button', { name: 'Cancelar' }).click();

			await addAsset(page, {
				kind: 'skill',
				name: 'Marie — enfermera',
				tags: 'primeros auxilios, criollo haitiano',
				availability: 'fines de semana',
				point: '25.7743, -80.1937'
			});
			await page.getByRole('status').filter({ hasText: 'Se agregó Marie — enfermera.' }).waitFor();
			await addAsset(page, {
				kind: 'association',
				name: 'Iglesia San Pablo',
				tags: 'cocina',
				point: '25.8276, -80.1945'
			});
			await addAsset(page, { kind: 'equipment', name: 'Camioneta de carga' });
			await expect(page.getByTestId('asset-count').textContent()).resolves.toBe('3 recursos');
			await check(page, 'list', found);

			// Filters, and the order by distance from a typed position.
			await page.getByLabel('Tipo').selectOption('equipment');
			await expect(page.getByTestId('asset-count').textContent()).resolves.toBe('1 de 3 recursos');
			await page.getByLabel('Tipo').selectOption('');
			await page.getByLabel('Etiqueta').selectOption('cocina');
			await check(page, 'filtered list', found);
			await page.getByLabel('Etiqueta').selectOption('');
			await page.getByLabel('Orden').selectOption('distance');
			await page.getByText('Usa tu ubicación para ordenar por distancia').waitFor();
			await page.getByLabel('O escribe dónde estás').fill('cerca de la iglesia');
			await page.getByRole('button', { name: 'Ordenar desde aquí' }).click();
			await page.getByRole('alert').filter({ hasText: 'Escribe el punto como latitud' }).waitFor();
			await check(page, 'order by distance, position not read', found);
			await page.getByLabel('O escribe dónde estás').fill('25.80, -80.19');
			await page.getByRole('button', { name: 'Ordenar desde aquí' }).click();
			await page.getByTestId('asset').first().getByText(/km$/).waitFor();
			await check(page, 'order by distance', found);

			// Or pick where you are on a map, over a grid with coordinates and a scale (no
			// tiles here): the point tapped, between two assets, is the one sorted from.
			await page.getByRole('button', { name: 'Elegir en el mapa' }).click();
			const picker = page.getByTestId('point-picker');
			await picker.locator('[data-loaded="true"]').waitFor({ timeout: 30_000 });
			await picker.getByTestId('map-grid').getByText(/° N$/).first().waitFor();
			await picker
				.locator('.maplibregl-ctrl-scale')
				.filter({ hasText: /\d\s(m|km)$/ })
				.waitFor();
			await check(page, 'picking where you are', found);
			const marie = await centerOf(picker.getByRole('button', { name: 'Marie — enfermera' }));
			const church = await centerOf(picker.getByRole('button', { name: 'Iglesia San Pablo' }));
			await page.mouse.click((marie.x + church.x) / 2, (marie.y + church.y) / 2);
			await picker.waitFor({ state: 'detached' });
			const [lat, lon] = (await page.getByLabel('O escribe dónde estás').inputValue())
				.split(', ')
				.map(Number);
			expect(Math.abs(lat! - (25.7743 + 25.8276) / 2)).toBeLessThan(0.001);
			expect(Math.abs(lon! - (-80.1937 + -80.1945) / 2)).toBeLessThan(0.001);
			await page.getByTestId('asset').first().getByText(/km$/).waitFor();

			// An asset, a link to another, and deleting.
			await page.getByTestId('asset').filter({ hasText: 'Marie — enfermera' }).click();
			const detail = page.getByTestId('asset-detail');
			await detail.getByText('Habilidad o capacidad de una persona').waitFor();
			await detail.getByText('Nada todavía.').waitFor();
			await detail.getByLabel('Relación').selectOption('member-of');
			await detail.getByLabel('Otro recurso').selectOption({ label: 'Iglesia San Pablo' });
			await detail.getByRole('button', { name: 'Relacionar' }).click();
			await detail.getByTestId('asset-links').getByText('es miembro de').waitFor();
			await check(page, 'asset detail', found);
			await detail.getByRole('button', { name: 'Eliminar' }).click();
			await detail.getByRole('button', { name: 'Sí, eliminar Marie — enfermera' }).waitFor();
			await check(page, 'asking to delete', found);
			await detail.getByRole('button', { name: 'Conservarlo' }).click();
			await detail.getByRole('button', { name: 'Editar' }).click();
			await page.locator('form.asset-form').getByLabel('Disponibilidad').fill('noches');
			await check(page, 'editing', found);
			await page
				.locator('form.asset-form')
				.getByRole('button', { name: 'Guardar cambios' })
				.click();
			await page.getByRole('status').filter({ hasText: 'Se guardó Marie — enfermera.' }).waitFor();

			// Export, and import: a file that is not one, then the export itself.
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('button', { name: 'Descargar GeoJSON' }).click()
			]);
			const geojson = readFileSync((await download.path()) ?? '', 'utf8');
			const [csvDownload] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('button', { name: 'Descargar CSV' }).click()
			]);
			const csv = readFileSync((await csvDownload.path()) ?? '', 'utf8');
			expect(csv.split('\n')[0]).toContain('nombre,descripción,etiquetas');
			const importInput = page.getByLabel(/archivo GeoJSON exportado de Barnraise/);
			await importInput.setInputFiles({
				name: 'notas.geojson',
				mimeType: 'application/geo+json',
				buffer: Buffer.from('esto no es json')
			});
			await page.getByTestId('import-message').filter({ hasText: 'No se cambió nada.' }).waitFor();
			await check(page, 'import refused', found);
			await importInput.setInputFiles({
				name: 'recursos.geojson',
				mimeType: 'application/geo+json',
				buffer: Buffer.from(geojson)
			});
			await page
				.getByTestId('import-message')
				.filter({ hasText: 'Se importaron 0 recursos nuevos y 0 relaciones' })
				.waitFor();
			await check(page, 'import done', found);

			// The map: points on the earth, and a new asset placed by a tap.
			await page.getByRole('link', { name: 'Mapa', exact: true }).click();
			await page.getByRole('heading', { name: 'Mapa de recursos' }).waitFor();
			const geoMap = page.getByTestId('geo-map');
			await geoMap.locator('[data-loaded="true"]').waitFor({ timeout: 30_000 });
			await page.getByTestId('map-legend').getByText('Habilidades (1)').waitFor();
			// No tiles: a grid with coordinates, a scale, and each pin's name beside it.
			await geoMap.getByTestId('map-grid').getByText(/° O$/).first().waitFor();
			await geoMap
				.locator('.maplibregl-ctrl-scale')
				.filter({ hasText: /\d\s(m|km)$/ })
				.waitFor();
			await geoMap.getByTestId('map-pin').getByText('Iglesia San Pablo').waitFor();
			await check(page, 'map', found);
			await page.getByRole('button', { name: 'Agregar un recurso nuevo en un lugar' }).click();
			await page.getByText('Toca el mapa donde está el recurso nuevo.').waitFor();
			await check(page, 'placing', found);
			await geoMap.click({ position: { x: 150, y: 120 } });
			const newForm = page.locator('form.asset-form');
			await newForm.getByLabel('Nombre').fill('Punto de agua');
			await expect(newForm.getByLabel('Latitud, longitud').inputValue()).resolves.toMatch(
				/^-?\d+(\.\d+)?, -?\d+(\.\d+)?$/
			);
			await check(page, 'new asset at a spot', found);
			await newForm.getByRole('button', { name: 'Agregar recurso' }).click();
			await page.getByRole('status').filter({ hasText: 'Se agregó Punto de agua.' }).waitFor();
			await expectPinAt(page.getByRole('button', { name: 'Punto de agua' }), geoMap, {
				x: 150,
				y: 120
			});

			// A picture map, and an asset pinned on it by a tap.
			await page.getByLabel('Imagen del mapa').setInputFiles({
				name: 'cuadra-14.png',
				mimeType: 'image/png',
				buffer: await page.screenshot()
			});
			await page.getByLabel('Nombre (opcional)').fill('Cuadra 14');
			await page.getByRole('button', { name: 'Agregar mapa base' }).click();
			const picture = page.getByTestId('image-map');
			await picture.waitFor();
			await page.getByLabel('Colocar un recurso existente').selectOption({
				label: 'Camioneta de carga'
			});
			await page.getByRole('button', { name: 'Colocarlo', exact: true }).click();
			await page.getByText('Toca el mapa donde está Camioneta de carga.').waitFor();
			await check(page, 'placing on a picture map', found);
			await picture.click({ position: { x: 120, y: 100 } });
			await page
				.getByRole('status')
				.filter({ hasText: 'Se marcó Camioneta de carga en Cuadra 14.' })
				.waitFor();
			await expectPinAt(page.getByRole('button', { name: 'Camioneta de carga' }), picture, {
				x: 120,
				y: 100
			});
			await check(page, 'picture map', found);
			// With a picture map in the space, the map opens on it.
			await page.getByRole('link', { name: 'Lista', exact: true }).click();
			await page.getByRole('link', { name: 'Mapa', exact: true }).click();
			await page.getByRole('button', { name: 'Camioneta de carga' }).waitFor();
			await expect(page.getByTestId('geo-map').count()).resolves.toBe(0);
			await page.getByRole('button', { name: 'Quitar este mapa base' }).click();
			await page.getByRole('button', { name: 'Sí, quitar Cuadra 14 para todos' }).waitFor();
			await check(page, 'removing a picture map', found);

			expect(found).toEqual([]);
			expect(errors).toEqual([]);
		});
	}
});
