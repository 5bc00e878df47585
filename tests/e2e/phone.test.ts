import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import {
	addAsset,
	addItem,
	addSite,
	createSpace,
	openAssets,
	openSupplies,
	pickName,
	post,
	recordMovement
} from '../support/flows';
import { overflowing, PHONE, PHONE_HEIGHT } from '../support/phone';
import { useServerAndBrowser } from '../support/suite';

describe('at phone size (360 px)', () => {
	const suite = useServerAndBrowser();

	/** Every screen that is too wide, with what sticks out, so one run shows them all. */
	const tooWide: string[] = [];
	async function fits(page: Page, screen: string) {
		for (const problem of await overflowing(page)) tooWide.push(`${screen}: ${problem}`);
	}

	for (const origin of ['secure', 'plain http'] as const) {
		it(`no screen is wider than the phone (${origin})`, async () => {
			const url = origin === 'secure' ? suite.server.url : suite.server.insecureUrl;
			tooWide.length = 0;
			const { page, context, errors } = await openDevice(suite.browser, url, PHONE);
			await page.getByLabel('Your name in spaces').waitFor();
			await fits(page, 'first run');
			await pickName(page, 'Ana');
			await fits(page, 'home');
			await createSpace(page, 'Eastside flood response and relief');
			await post(page, {
				kind: 'need',
				title: 'Drinking water for the families at the school gym',
				quantity: '120',
				unit: 'liters',
				urgency: 'critical',
				locationText: 'Eastside elementary school, back entrance by the gym'
			});
			await fits(page, 'board');
			// Closed once, the storage notice stays closed; then the first post is on the first screen.
			const notice = page.getByTestId('storage-notice');
			if (await notice.count()) {
				await notice.getByRole('button', { name: 'Close this notice' }).click();
				await page.reload();
				await page.getByTestId('post').first().waitFor();
				expect(await notice.count()).toBe(0);
			}
			const firstPost = await page.getByTestId('post').first().boundingBox();
			expect(firstPost!.y).toBeLessThan(PHONE_HEIGHT);
			await page.getByRole('button', { name: 'Post an offer' }).click();
			await fits(page, 'post form');
			await page.locator('form.post-form').getByRole('button', { name: 'Cancel' }).click();
			for (const panel of ['Invite', 'Pair', 'File', 'Links']) {
				await page.getByRole('button', { name: panel, exact: true }).click();
				await fits(page, `${panel} panel`);
				await page.getByRole('button', { name: panel, exact: true }).click();
			}

			await openSupplies(page);
			await addSite(page, 'Eastside elementary school', 'distribution');
			await addItem(page, 'Drinking water', 'liter', 'water');
			await recordMovement(page, {
				kind: 'Received',
				site: 'Eastside elementary school',
				item: 'Drinking water (liter)',
				quantity: '500'
			});
			await fits(page, 'supplies');

			await openAssets(page);
			await fits(page, 'assets');
			await page.getByRole('button', { name: 'Add an asset' }).click();
			await fits(page, 'asset form');
			await page.locator('form.asset-form').getByRole('button', { name: 'Cancel' }).click();
			await addAsset(page, { kind: 'skill', name: 'Marie — nurse, speaks Haitian Creole' });
			await fits(page, 'assets with one');
			await page.getByRole('link', { name: 'Map' }).click();
			await page.getByRole('heading', { name: 'Asset map', level: 2 }).waitFor();
			await fits(page, 'asset map');

			await page.getByRole('link', { name: 'Settings' }).click();
			await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
			await fits(page, 'settings');
			// The address npm start prints is taken as it is; something else is explained.
			const connections = page.locator('form').filter({ has: page.locator('[name="signaling"]') });
			await connections.locator('[name="signaling"]').fill('ftp://nope');
			await connections.getByRole('button', { name: 'Save addresses' }).click();
			await expect(connections.getByRole('alert').textContent()).resolves.toContain('ftp://nope');
			await connections.locator('[name="signaling"]').fill('192.168.1.20:8080');
			await connections.getByRole('button', { name: 'Save addresses' }).click();
			await connections.getByRole('status').waitFor();
			expect(await connections.getByRole('alert').count()).toBe(0);
			await fits(page, 'settings after saving');

			await page.goto(`${url}/join#k=not-a-key`);
			await page.getByRole('heading', { name: 'Join a space' }).waitFor();
			await fits(page, 'join with a bad link');
			expect(tooWide).toEqual([]);
			expect(errors).toEqual([]);
			await context.close();
		});
	}
});
