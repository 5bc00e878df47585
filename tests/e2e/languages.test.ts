import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { createSpace, inviteLink, pickName } from '../support/flows';
import { englishLeft } from '../support/english-left';
import { overflowing, PHONE } from '../support/phone';
import { useServerAndBrowser } from '../support/suite';

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
const storedLocale = (page: Page) => page.evaluate(() => localStorage.getItem('barnraise:locale'));

describe('languages', () => {
	const suite = useServerAndBrowser();

	it('follows a Spanish browser, and keeps English once it is picked in Settings', async () => {
		const { page, errors } = await openDevice(suite.browser, suite.server.url, { locale: 'es-ES' });

		// Home, first run: in Spanish, and said so to assistive technology.
		await page.getByLabel('Tu nombre en los espacios').waitFor();
		await expect(htmlLang(page)).resolves.toBe('es');
		await page.getByRole('link', { name: 'Ajustes' }).waitFor();
		await page.getByRole('button', { name: 'Continuar' }).click();
		await expect(page.getByRole('alert').textContent()).resolves.toBe(
			'Elige un nombre que verán los demás (un apodo está bien).'
		);
		await page.getByLabel('Tu nombre en los espacios').fill('Ana');
		await page.getByRole('button', { name: 'Continuar' }).click();
		await page.getByText('Hola, Ana.').waitFor();
		await page.getByRole('heading', { name: 'Tus espacios' }).waitFor();
		await page.getByRole('button', { name: 'Crear espacio' }).waitFor();
		await page.getByRole('button', { name: 'Unirme al espacio' }).waitFor();
		await expect(englishLeft(page, ['Barnraise'])).resolves.toEqual([]);
		// Following the browser is not a choice: nothing is stored until one is made.
		await expect(storedLocale(page)).resolves.toBeNull();

		await page.getByRole('link', { name: 'Ajustes' }).click();
		await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor();
		await page.getByRole('heading', { name: 'Encontrar los dispositivos del grupo' }).waitFor();
		await page.getByLabel('Escribe BORRAR para confirmar').waitFor();
		await page.getByRole('button', { name: 'Borrar este dispositivo' }).waitFor();
		// Technical names stay as they are (docs/translating.md); the folded STUN/TURN part opened too.
		await page.getByText('no logran enlazarse (STUN / TURN)').click();
		await expect(
			englishLeft(page, ['Barnraise', 'Language / Idioma', 'English', 'npm run relay'])
		).resolves.toEqual([]);

		// The picker is found in either language; English applies at once, no reload.
		await page.getByLabel('Language / Idioma').selectOption('en');
		await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
		await page.getByRole('link', { name: 'Settings' }).waitFor();
		await page.getByLabel('Type WIPE to confirm').waitFor();
		await expect(htmlLang(page)).resolves.toBe('en');
		await expect(storedLocale(page)).resolves.toBe('en');

		// Kept on the device: still English after a reload, over the browser's Spanish.
		await page.reload();
		await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
		await expect(htmlLang(page)).resolves.toBe('en');
		await expect(page.getByLabel('Language / Idioma').inputValue()).resolves.toBe('en');
		await page.getByRole('link', { name: 'Barnraise' }).click();
		await page.getByText('Hello, Ana.').waitFor();
		await page.getByRole('heading', { name: 'Your spaces' }).waitFor();
		expect(errors).toEqual([]);
	});

	it('greets an invited phone in Spanish, and says in Spanish that it waits for a member', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Cocina comunitaria');
		const link = await inviteLink(a.page);
		await a.context.close();

		const b = await openDevice(suite.browser, suite.server.insecureUrl, {
			...PHONE,
			locale: 'es-MX'
		});
		await b.page.goto(link.replace(suite.server.url, suite.server.insecureUrl));
		await b.page.getByLabel('Tu nombre en los espacios').waitFor();
		await expect(englishLeft(b.page, ['Barnraise'])).resolves.toEqual([]);
		await expect(overflowing(b.page)).resolves.toEqual([]);
		await b.page.getByLabel('Tu nombre en los espacios').fill('Beto');
		await b.page.getByRole('button', { name: 'Unirme al espacio' }).click();
		const waiting = b.page.getByTestId('waiting-for-members');
		await waiting
			.getByRole('heading', {
				name: 'Todavía no se ha visto a ningún miembro de «Cocina comunitaria»'
			})
			.waitFor();
		await expect(englishLeft(b.page, ['Barnraise'])).resolves.toEqual([]);
		await expect(overflowing(b.page)).resolves.toEqual([]);
		expect(b.errors).toEqual([]);
	});
});
