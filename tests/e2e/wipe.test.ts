import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import { createSpace, pickName, post } from '../support/flows';

/** Everything of the app's this browser context still holds. */
async function leftovers(page: Page) {
	return page.evaluate(async () => ({
		databases: (await indexedDB.databases()).map((db) => db.name),
		localStorage: Object.keys(localStorage),
		// SvelteKit writes its scroll positions here as the page unloads; nothing else may remain.
		sessionStorage: Object.keys(sessionStorage).filter(
			(key) => !['sveltekit:scroll', 'sveltekit:snapshot'].includes(key)
		),
		sessionStorageText: Object.values(sessionStorage).join(' '),
		caches: typeof caches === 'undefined' ? [] : await caches.keys(),
		serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length
	}));
}

describe('wipe this device', () => {
	const suite = useServerAndBrowser();

	it('removes every space, key and setting, in this tab and in another open one', async () => {
		const { page, context } = await openDevice(suite.browser, suite.server.url);
		await pickName(page, 'Ana');
		await createSpace(page, 'First space');
		await post(page, { kind: 'need', title: 'Secret location of supplies' });
		const firstSpaceUrl = page.url();
		await page.goto(suite.server.url);
		await createSpace(page, 'Second space');

		// Another tab still has a space open (its database connection too).
		const otherTab = await context.newPage();
		await otherTab.goto(firstSpaceUrl);
		await otherTab.getByRole('heading', { name: 'Secret location of supplies' }).waitFor();

		const before = await leftovers(page);
		expect(before.databases.length).toBeGreaterThanOrEqual(2);
		expect(before.localStorage.length).toBeGreaterThan(0);

		await page.goto(`${suite.server.url}/settings`);
		const wipeButton = page.getByRole('button', { name: 'Wipe this device' });
		await expect(wipeButton.isDisabled()).resolves.toBe(true);
		await page.getByLabel('Type WIPE to confirm').fill('wipe');
		await wipeButton.click();

		// Both tabs land on a blank first-run screen.
		await page.getByLabel('Your name in spaces').waitFor();
		await page.getByTestId('wiped').waitFor();
		await otherTab.getByLabel('Your name in spaces').waitFor();
		await expect(page.getByText('First space').count()).resolves.toBe(0);

		const after = await leftovers(page);
		expect(after).toEqual({
			databases: [],
			localStorage: [],
			sessionStorage: [],
			sessionStorageText: expect.not.stringMatching(/space|Ana|Secret|[A-Za-z0-9_-]{20}/),
			caches: [],
			serviceWorkers: 0
		});
		await context.close();
	});
});
