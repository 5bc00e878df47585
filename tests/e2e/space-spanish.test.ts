// A space's own screens — the board, its forms and the frame around it — in
// Spanish at phone size, on a secure and a plain-http origin: nothing left in
// English, nothing wider than the phone, numbers read as Spanish speakers
// write them.
import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { englishLeft } from '../support/english-left';
import { overflowing, PHONE } from '../support/phone';
import { ALWAYS_ALLOWED, createSpaceEs, pickNameEs } from '../support/spanish';
import { useServerAndBrowser } from '../support/suite';

describe('a space in Spanish, at phone size', () => {
	const suite = useServerAndBrowser();

	for (const origin of ['secure', 'plain http'] as const) {
		it(`says everything in Spanish and fits (${origin})`, async () => {
			const url = origin === 'secure' ? suite.server.url : suite.server.insecureUrl;
			const { page, errors } = await openDevice(suite.browser, url, { ...PHONE, locale: 'es-MX' });
			const problems: string[] = [];
			async function check(screen: string) {
				for (const found of await englishLeft(page, ALWAYS_ALLOWED))
					problems.push(`${screen}: ${found}`);
				for (const found of await overflowing(page)) problems.push(`${screen}: too wide: ${found}`);
			}

			await pickNameEs(page, 'Ana');
			await createSpaceEs(page, 'Respuesta a la inundación');
			await page.getByText('Todavía no hay nada publicado.', { exact: false }).waitFor();
			await check('empty board');

			await page.getByRole('button', { name: 'Publicar una necesidad' }).click();
			const form = page.locator('form.post-form');
			await form.getByRole('button', { name: 'Publicar' }).click();
			await form.getByText('Ponle un título (de 1 a 120 caracteres).').waitFor();
			await check('post form with an error');
			await form.getByLabel('Título').fill('Agua potable para la escuela');
			// es-MX writes a decimal point; "1.000" there is one, "1,5" is still read as 1.5.
			await form.getByLabel('Cantidad').fill('1,5');
			await form.getByLabel('Unidad').fill('toneladas');
			await form.getByLabel('Urgencia').selectOption('critical');
			await form.getByRole('button', { name: 'Publicar' }).click();
			await form.waitFor({ state: 'detached' });
			const card = page.getByTestId('post').first();
			await card.getByText('1.5 toneladas').waitFor();
			await card.getByText('crítica').waitFor();
			await card.getByText('Publicado por Ana', { exact: false }).waitFor();
			await check('board with a post');

			await page.getByText('Filtrar y ordenar').click();
			await page.getByLabel('Estado').waitFor();
			await check('filters');

			await card.getByRole('button', { name: 'Marcar resuelta' }).click();
			await page
				.getByTestId('undo-bar')
				.getByText('Marcaste «Agua potable para la escuela» como resuelta.')
				.waitFor();
			await check('undo offer');
			await page.getByTestId('undo-bar').getByRole('button', { name: 'Deshacer' }).click();
			await expect.poll(() => card.getByTestId('post-status').textContent()).toBe('Abierta');

			await card.getByRole('button', { name: 'Editar' }).click();
			await expect(
				page.locator('form.post-form').getByLabel('Cantidad').inputValue()
			).resolves.toBe('1.5');
			await check('edit form');
			await page.locator('form.post-form').getByRole('button', { name: 'Cancelar' }).click();

			await page.getByRole('button', { name: 'Invitar', exact: true }).click();
			await page.getByText('Escanéalo con la cámara de un teléfono para unirte').waitFor();
			await check('invite');

			await page.getByRole('button', { name: 'Pausar sincronización' }).click();
			await page.getByText('Sincronización en pausa').waitFor();
			await check('sync paused');

			expect(problems).toEqual([]);
			// The check itself can fail: one English sentence on the same page is found.
			await page.evaluate(() => {
				const line = document.createElement('p');
				line.textContent = 'Nothing posted yet.';
				document.querySelector('main')?.append(line);
			});
			expect(await englishLeft(page, ALWAYS_ALLOWED)).toEqual(['p: "Nothing posted yet." (yet)']);
			expect(errors).toEqual([]);
		});
	}
});
