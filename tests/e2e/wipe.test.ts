import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import { createSpace, pickName, post } from '../support/flows';
import { PHONE, overflowing } from '../support/phone';

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

	// A tab that holds a database open and does not let go (an old version of
	// the app, a frozen tab) used to stop the wipe before it reached the keys:
	// it deleted databases first and waited for ever on the held one. Now the
	// keys go first and the person is told what is still to be deleted.
	it('removes the keys at once when another tab keeps a database open, and says what is left', async () => {
		// No service worker: it would answer the holder's request with the app itself.
		const { page, context } = await openDevice(suite.browser, suite.server.url, {
			...PHONE,
			serviceWorkers: 'block'
		});
		await pickName(page, 'Ana');
		await createSpace(page, 'Held shelter');
		await post(page, { kind: 'need', title: 'Insulin fridge' });
		await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();

		// A same-origin page that runs none of the app, so it never hears the wipe.
		const holder = await context.newPage();
		await holder.goto(`${suite.server.url}/manifest.webmanifest`);
		const held = await holder.evaluate(async () => {
			const names = (await indexedDB.databases())
				.map((db) => db.name ?? '')
				.filter((name) => name.startsWith('barnraise-space-'));
			const open = names.map(
				(name) =>
					new Promise<IDBDatabase>((resolve, reject) => {
						const request = indexedDB.open(name);
						request.onsuccess = () => resolve(request.result);
						request.onerror = () => reject(request.error);
					})
			);
			(globalThis as unknown as { held: IDBDatabase[] }).held = await Promise.all(open);
			return names;
		});
		expect(held).toHaveLength(1);

		await page.goto(`${suite.server.url}/settings`);
		await page.getByLabel('Type WIPE to confirm').fill('WIPE');
		await page.getByRole('button', { name: 'Wipe this device' }).click();

		const report = page.getByTestId('wipe-leftovers');
		// Before the fix the keys stayed for as long as the holder held on.
		await page.waitForFunction(() => localStorage.length === 0);
		await report.waitFor();
		await expect(report.getByRole('status').textContent()).resolves.toMatch(/^Keys gone/);
		await expect(page.getByTestId('wipe-pending').innerText()).resolves.toBe('Held shelter');
		await expect(page.getByTestId('wipe-failed').count()).resolves.toBe(0);
		await expect(overflowing(page)).resolves.toEqual([]);

		// The keys are gone while the data is still held, so not after it.
		const during = await leftovers(page);
		expect(during.localStorage).toEqual([]);
		expect(during.databases).toEqual(held);

		// Once the holder lets go, the browser finishes the deletion on its own.
		await holder.evaluate(() => {
			for (const db of (globalThis as unknown as { held: IDBDatabase[] }).held) db.close();
		});
		await page.waitForFunction(async () => (await indexedDB.databases()).length === 0);

		await page.getByRole('button', { name: 'Go to the start page' }).click();
		await page.getByTestId('wiped').waitFor();
		const after = await leftovers(page);
		expect(after.databases).toEqual([]);
		expect(after.localStorage).toEqual([]);
		await context.close();
	});
});
