// The supply log in Spanish on a phone: every supplies screen, walked with
// Spanish data from a Mexican browser, says nothing in English and fits the
// screen; a decimal typed the Spanish way is recorded as meant.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { englishLeft } from '../support/english-left';
import { openDevice } from '../support/harness';
import { overflowing, PHONE, PHONE_WIDTH } from '../support/phone';
import { useServerAndBrowser } from '../support/suite';

/**
 * Words that may stay: the brand. (Test data is Spanish, so it needs no
 * exception.)
 */
const ALLOWED = ['Barnraise'];

describe('supplies in Spanish at phone size', () => {
	const suite = useServerAndBrowser();

	for (const origin of ['secure', 'plain http'] as const) {
		it(`every supplies screen is Spanish and fits (${origin})`, async () => {
			const url = origin === 'secure' ? suite.server.url : suite.server.insecureUrl;
			const { page, context, errors } = await openDevice(suite.browser, url, {
				...PHONE,
				locale: 'es-MX'
			});
			/** Every screen with English left or too wide, so one run shows them all. */
			const problems: string[] = [];
			async function check(screen: string) {
				for (const text of await englishLeft(page, ALLOWED))
					problems.push(`${screen}: English ${text}`);
				for (const wide of await overflowing(page)) problems.push(`${screen}: too wide ${wide}`);
			}

			await page.getByLabel('Tu nombre en los espacios').fill('Ana');
			await page.getByRole('button', { name: 'Continuar' }).click();
			await page.getByLabel('Nuevo espacio').fill('Inundación del barrio Este');
			await page.getByRole('button', { name: 'Crear espacio' }).click();
			await page.getByTestId('space-name').filter({ hasText: 'Inundación' }).waitFor();
			await page.getByRole('link', { name: 'Suministros' }).click();
			await page.getByRole('heading', { name: 'Suministros', level: 2 }).waitFor();
			await check('supplies, empty');

			// Setup: a site and an item refused with a reason, then added.
			await page.getByRole('button', { name: 'Agregar sitio' }).click();
			await expect(alertIn(page, 'form[aria-labelledby="add-site-heading"]')).resolves.toBe(
				'Ponle nombre al sitio (hasta 80 caracteres).'
			);
			await page.getByLabel('Nombre del sitio').fill('Bodega central');
			await page.getByLabel('Punto (opcional: latitud, longitud)').fill('al lado del río');
			await page.getByRole('button', { name: 'Agregar sitio' }).click();
			await expect(alertIn(page, 'form[aria-labelledby="add-site-heading"]')).resolves.toBe(
				'Escribe el punto como latitud, longitud; por ejemplo 18.4861, -69.9312.'
			);
			await check('add a site, refused');
			await addSite(page, 'Bodega central', 'depot');
			await check('a site, no items');
			await addSite(page, 'Escuela del barrio Este', 'distribution');
			await page.getByLabel('Nombre del artículo').fill('Agua potable');
			await page.getByRole('button', { name: 'Agregar artículo' }).click();
			await expect(alertIn(page, 'form[aria-labelledby="add-item-heading"]')).resolves.toBe(
				'Indica la unidad en que se cuenta: paquete, litro, caja, dosis…'
			);
			await check('add an item, refused');
			await addItem(page, 'Agua potable', 'litro', 'water');
			await addItem(page, 'Arroz', 'kilo', 'food');
			await check('sites and items');

			// A quantity that is not a number is refused in Spanish.
			const form = page.locator('form.movement').first();
			await form.locator('input[name="quantity"]').fill('mucho');
			await form.getByRole('button', { name: 'Registrar' }).click();
			await expect(form.getByRole('alert').textContent()).resolves.toBe('Escribe un número.');
			await check('record, refused');

			// Received "2,5" litres, with a batch that expires in three days.
			const inThreeDays = await localDay(page, 3);
			await chooseMovement(page, {
				kind: 'Recibido',
				site: 'Bodega central',
				item: 'Agua potable (litro)',
				quantity: '2,5'
			});
			await form.getByText('Lote, vencimiento y nota').click();
			await form.locator('input[name="batch"]').fill('LOTE-7');
			await form.locator('input[name="expiresOn"]').fill(inThreeDays);
			await form.getByLabel('De parte de (opcional)').fill('Cruz Roja');
			await check('record received, with batch');
			await recordIt(page);
			const water = stockRow(page, 'Bodega central', 'Agua potable');
			// Recorded as two and a half; es-MX writes it "2.5".
			await expect(water.getAttribute('data-quantity')).resolves.toBe('2.5');
			await expect(water.locator('td.number strong').textContent()).resolves.toBe('2.5');
			await expect(page.getByTestId('last-recorded').textContent()).resolves.toBe(
				'Registrado: Recibido +2.5 litro de Agua potable.'
			);
			// Near expiry is said in words, not only by colour.
			const expiryDate = await page.evaluate(
				(day) =>
					new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium' }).format(
						new Date(`${day}T00:00:00`)
					),
				inThreeDays
			);
			await expect(water.getByTestId('expiry-flag').textContent()).resolves.toBe(
				`El lote LOTE-7 vence en 3 días (${expiryDate})`
			);
			// …on screen, not in a column scrolled off the side of the phone.
			const flag = await water.getByTestId('expiry-flag').boundingBox();
			expect(flag!.x + flag!.width).toBeLessThanOrEqual(PHONE_WIDTH);
			await check('received');

			await chooseMovement(page, {
				kind: 'Recibido',
				site: 'Bodega central',
				item: 'Arroz (kilo)',
				quantity: '1200'
			});
			await recordIt(page);
			await chooseMovement(page, {
				kind: 'Repartido',
				site: 'Bodega central',
				item: 'Arroz (kilo)',
				quantity: '200'
			});
			await form.getByLabel('Hogares o personas (opcional, nunca nombres)').fill('40');
			await check('record distributed');
			await recordIt(page);
			await expect(page.getByTestId('today-totals').textContent()).resolves.toMatch(
				/Repartido: 200 kilo de Arroz a 40 hogares\./
			);
			await chooseMovement(page, {
				kind: 'Conteo',
				site: 'Bodega central',
				item: 'Arroz (kilo)',
				quantity: '990'
			});
			await check('record count');
			await recordIt(page);
			await chooseMovement(page, {
				kind: 'Traslado',
				site: 'Bodega central',
				item: 'Arroz (kilo)',
				quantity: '300'
			});
			await form
				.locator('select[name="toSite"]')
				.selectOption({ label: 'Escuela del barrio Este' });
			await check('record transfer');
			await recordIt(page);
			await expect(page.getByTestId('last-recorded').textContent()).resolves.toBe(
				'Registrado: traslado de 300 kilo de Arroz de Bodega central a Escuela del barrio Este.'
			);
			await expect(
				stockRow(page, 'Bodega central', 'Arroz').getAttribute('data-quantity')
			).resolves.toBe('690');
			await expect(
				stockRow(page, 'Bodega central', 'Arroz').locator('.count-info').textContent()
			).resolves.toMatch(/el conteo encontró 10 menos de lo que dice el registro/);
			await check('stock and ledger');

			// Correcting an entry, then leaving it as it was.
			await page
				.getByTestId('ledger-entry')
				.filter({ hasText: 'Recibido +1,200 kilo de Arroz' })
				.getByRole('button', { name: 'Corregir' })
				.click();
			await page.locator('.correct-form form.movement').waitFor();
			await check('correct an entry');
			await page.locator('.correct-form').getByRole('button', { name: 'Cancelar' }).click();

			// An item's page, with its low-stock levels.
			const lists = page.locator('p.lists');
			await lists.getByRole('link', { name: 'Arroz (kilo)' }).click();
			await page.getByRole('heading', { name: /Arroz/, level: 2 }).waitFor();
			await check('an item');
			await page.getByRole('textbox', { name: 'Bodega central' }).fill('700');
			await page.getByRole('button', { name: 'Guardar niveles de existencias bajas' }).click();
			await page.getByRole('status').filter({ hasText: 'Guardado.' }).waitFor();
			await stockRow(page, 'Bodega central', 'Arroz').getByText('Existencias bajas').waitFor();
			await check('an item, low stock');

			// A site's page.
			await lists.getByRole('link', { name: 'Escuela del barrio Este' }).click();
			await page.getByRole('heading', { name: /Escuela del barrio Este/, level: 2 }).waitFor();
			await check('a site');
			await page.getByRole('link', { name: 'Todos los suministros' }).click();
			await page.getByRole('heading', { name: 'Suministros', level: 2 }).waitFor();

			// The CSV files: Spanish headers, the HXL row as the standard has it, times with their offset.
			const stock = await downloadCsv(page, 'Existencias en CSV');
			expect(stock.startsWith('\uFEFF')).toBe(true);
			const stockLines = stock.slice(1).split('\r\n');
			expect(stockLines[0]).toBe(
				'Sitio,Tipo de sitio,Artículo,Unidad,Categoría,Existencias,Último conteo,Aviso'
			);
			expect(stockLines[1]).toBe(
				'#loc+name,#loc+type,#item+name,#item+unit,#item+type,#value,#date+counted,#status'
			);
			expect(stockLines).toContain('Bodega central,Almacén,Agua potable,litro,agua,2.5,,');
			const rice = stockLines.find((line) => line.startsWith('Bodega central,Almacén,Arroz'));
			expect(rice).toMatch(
				/^Bodega central,Almacén,Arroz,kilo,comida,690,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2},bajo$/
			);
			const countedAt = Date.parse(rice!.split(',')[6]!);
			expect(Math.abs(Date.now() - countedAt)).toBeLessThan(10 * 60_000);
			const ledger = await downloadCsv(page, 'Registro en CSV');
			expect(ledger.slice(1).split('\r\n')[0]).toMatch(
				/^Registrado el,Sitio,Artículo,Unidad,Movimiento,Cantidad,Cambio,Hogares,/
			);
			expect(ledger).toContain('Traslado enviado');

			// What is printed.
			await page.emulateMedia({ media: 'print' });
			await check('print');
			await page.emulateMedia({ media: 'screen' });

			expect(problems).toEqual([]);
			expect(errors).toEqual([]);
			await context.close();
		});
	}
});

/**
 * Mark the space's frame (top bar, tabs, status) as allowed English: it is
 * translated in messages/space, not here; the supplies section is checked.
 */
async function alertIn(page: Page, form: string): Promise<string | null> {
	return page.locator(form).getByRole('alert').textContent();
}

async function addSite(page: Page, name: string, kind: string) {
	await page.getByLabel('Nombre del sitio').fill(name);
	await page.getByLabel('Punto (opcional: latitud, longitud)').fill('');
	// A select's accessible name includes its chosen option, so select by name.
	await page.locator('select[name="siteKind"]').selectOption(kind);
	await page.getByRole('button', { name: 'Agregar sitio' }).click();
	await page.locator('p.lists').getByRole('link', { name }).waitFor();
}

async function addItem(page: Page, name: string, unit: string, category: string) {
	await page.getByLabel('Nombre del artículo').fill(name);
	await page.getByLabel('Unidad', { exact: true }).fill(unit);
	await page.locator('select[name="itemCategory"]').selectOption(category);
	await page.getByRole('button', { name: 'Agregar artículo' }).click();
	await page
		.locator('p.lists')
		.getByRole('link', { name: `${name} (${unit})` })
		.waitFor();
}

/** Fill the movement form by its Spanish labels, without recording yet. */
async function chooseMovement(
	page: Page,
	movement: { kind: string; site: string; item: string; quantity: string }
) {
	const form = page.locator('form.movement').first();
	await form.getByRole('radio', { name: movement.kind, exact: true }).check();
	await form.locator('select[name="site"]').selectOption({ label: movement.site });
	await form.locator('select[name="item"]').selectOption({ label: movement.item });
	await form.locator('input[name="quantity"]').fill(movement.quantity);
}

async function recordIt(page: Page) {
	const form = page.locator('form.movement').first();
	const before = await page.getByTestId('ledger-entry').count();
	await form.getByRole('button', { name: 'Registrar', exact: true }).click();
	await expect.poll(() => page.getByTestId('ledger-entry').count()).toBeGreaterThan(before);
}

function stockRow(page: Page, site: string, item: string) {
	return page.locator(`[data-testid="stock-row"][data-site="${site}"][data-item="${item}"]`);
}

/** The browser's local day `days` from now, as YYYY-MM-DD. */
async function localDay(page: Page, days: number): Promise<string> {
	return page.evaluate((days) => {
		const date = new Date();
		date.setDate(date.getDate() + days);
		const two = (n: number) => String(n).padStart(2, '0');
		return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
	}, days);
}

async function downloadCsv(page: Page, button: string): Promise<string> {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: button }).click()
	]);
	return readFileSync((await download.path()) ?? '', 'utf8');
}
