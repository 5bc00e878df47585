// Removing one space from a device: its key, its data and its list of links
// go; other spaces stay; a tab that has it open lets go of it and says so.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { createSpace, inviteLink, joinByInvite, pickName, post, postCard } from '../support/flows';
import { useServerAndBrowser } from '../support/suite';

/** The app's IndexedDB databases and localStorage keys that mention `spaceId`. */
async function traces(page: Page, spaceId: string) {
	return page.evaluate(async (spaceId) => {
		const databases = (await indexedDB.databases()).map((db) => db.name ?? '');
		return [
			...databases.filter((name) => name.includes(spaceId)),
			...Object.keys(localStorage).filter(
				(key) => key.includes(spaceId) || (localStorage.getItem(key) ?? '').includes(spaceId)
			)
		];
	}, spaceId);
}

describe('removing one space from a device', () => {
	const suite = useServerAndBrowser();

	it('removes its key and data, keeps the others, and closes it in another tab', async () => {
		const { page, context, errors } = await openDevice(suite.browser, suite.server.url);
		await pickName(page, 'Ana');
		await createSpace(page, 'Westside pantry');
		await post(page, { kind: 'offer', title: 'Rice, 20 bags' });
		await page.getByRole('link', { name: 'Barnraise' }).click();
		await createSpace(page, 'Eastside relief');
		await post(page, { kind: 'need', title: 'Drinking water' });
		const spaceId = new URL(page.url()).pathname.split('/')[2]!;
		expect((await traces(page, spaceId)).length).toBeGreaterThan(0);

		// A second tab keeps Eastside open while the first removes it.
		const other = await context.newPage();
		await other.goto(page.url());
		await postCard(other, 'Drinking water').waitFor();

		await page.getByRole('link', { name: 'Barnraise' }).click();
		await page.getByRole('button', { name: 'Remove “Eastside relief” from this device' }).click();
		// Never shared with another device (the other tab is this same device): it may be the only copy.
		await page.getByTestId('only-copy').filter({ hasText: 'may be the only one' }).waitFor();
		await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(
			'Remove from this device'
		);
		await page.getByRole('button', { name: 'Remove from this device' }).click();
		await page
			.getByTestId('space-removed')
			.filter({ hasText: '“Eastside relief” was removed from this device.' })
			.waitFor();

		await other.getByRole('heading', { name: 'This space was removed from this device' }).waitFor();
		await expect(page.getByTestId('space-row').allTextContents()).resolves.toEqual([
			expect.stringContaining('Westside pantry')
		]);
		expect(await traces(page, spaceId)).toEqual([]);

		// Its address no longer opens it; the other space is whole.
		await page.goto(`${suite.server.url}/s/${spaceId}`);
		await page.getByRole('heading', { name: 'Space not found on this device' }).waitFor();
		await page.goto(suite.server.url);
		await page.getByRole('link', { name: 'Westside pantry' }).click();
		await postCard(page, 'Rice, 20 bags').waitFor();
		expect(errors).toEqual([]);
	});

	it('says other devices keep a space this device has shared', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Eastside relief');
		const link = await inviteLink(a.page);
		const b = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(b.page, link, 'Ben');
		await b.page.getByTestId('space-name').filter({ hasText: 'Eastside relief' }).waitFor();
		await a.context.close();
		await b.page.getByRole('link', { name: 'Barnraise' }).click();
		await b.page.getByRole('button', { name: 'Remove “Eastside relief” from this device' }).click();
		await b.page.getByText('Other devices in the space keep it', { exact: false }).waitFor();
		expect(await b.page.getByTestId('only-copy').count()).toBe(0);
		await b.page.getByRole('button', { name: 'Remove from this device' }).click();
		await b.page
			.getByTestId('space-removed')
			.filter({ hasText: 'Other devices in the space still have it.' })
			.waitFor();
		expect(b.errors).toEqual([]);
	});

	it('keeps the space when the person changes their mind', async () => {
		const { page, errors } = await openDevice(suite.browser, suite.server.url);
		await pickName(page, 'Ana');
		await createSpace(page, 'Eastside relief');
		await page.getByRole('link', { name: 'Barnraise' }).click();
		await page.getByRole('button', { name: 'Remove “Eastside relief” from this device' }).click();
		await page.getByRole('button', { name: 'Keep it' }).click();
		await expect(
			page.evaluate(() => document.activeElement?.getAttribute('aria-label'))
		).resolves.toBe('Remove “Eastside relief” from this device');
		await page.getByRole('link', { name: 'Eastside relief' }).click();
		await page.getByTestId('space-name').filter({ hasText: 'Eastside relief' }).waitFor();
		expect(errors).toEqual([]);
	});
});
