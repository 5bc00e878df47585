// The first steps of a volunteer whose browser speaks Spanish, for the browser
// tests that walk each screen in Spanish. Labels are the Spanish messages.
import type { Page } from 'playwright-core';

/** Words allowed on every Spanish screen: the app's name and the name of a person in the tests. */
export const ALWAYS_ALLOWED = ['Barnraise'];

export async function pickNameEs(page: Page, name: string) {
	await page.getByLabel('Tu nombre en los espacios').fill(name);
	await page.getByRole('button', { name: /^(Continuar|Unirme al espacio)$/ }).click();
}

export async function createSpaceEs(page: Page, name: string) {
	await page.getByLabel('Nuevo espacio').fill(name);
	await page.getByRole('button', { name: 'Crear espacio' }).click();
	await page.getByTestId('space-name').filter({ hasText: name }).waitFor();
}
