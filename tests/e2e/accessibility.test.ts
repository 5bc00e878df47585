import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	addAsset,
	addItem,
	assetRow,
	addSite,
	createSpace,
	openAssets,
	openSupplies,
	pickName,
	post,
	recordMovement
} from '../support/flows';

async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations.map(
		(violation) =>
			`${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
	);
}

describe('accessibility (axe-core)', () => {
	const suite = useServerAndBrowser();

	it('has no violations on the screens a volunteer uses', async () => {
		const { page, context } = await openDevice(suite.browser, suite.server.url);
		await page.getByLabel('Your name in spaces').waitFor();
		expect(await violations(page), 'first run').toEqual([]);
		await pickName(page, 'Ana');
		expect(await violations(page), 'home').toEqual([]);
		await createSpace(page, 'Eastside flood response');
		await post(page, {
			kind: 'need',
			title: 'Water',
			quantity: '10',
			unit: 'L',
			urgency: 'critical'
		});
		await post(page, { kind: 'offer', title: 'Generator', locationText: 'Elm St' });
		await page.getByRole('button', { name: 'I can help' }).click();
		await page.getByRole('button', { name: 'Invite' }).click();
		expect(await violations(page), 'board').toEqual([]);
		await page.getByRole('button', { name: 'Post a need' }).click();
		await page.locator('form.post-form').getByRole('button', { name: 'Post' }).click();
		expect(await violations(page), 'post form with errors').toEqual([]);
		await openSupplies(page);
		await addSite(page, 'Depot', 'depot');
		await addItem(page, 'Water', 'liter', 'water');
		await recordMovement(page, {
			kind: 'Received',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '50'
		});
		await page.getByRole('button', { name: 'Correct' }).first().click();
		expect(await violations(page), 'supplies').toEqual([]);
		await openAssets(page);
		await addAsset(page, { kind: 'skill', name: 'Marie — nurse', tags: 'first aid' });
		await addAsset(page, { kind: 'equipment', name: 'Box truck' });
		await assetRow(page, 'Marie — nurse').click();
		await page.getByRole('button', { name: 'Pair', exact: true }).click();
		await page.getByRole('button', { name: 'Links' }).click();
		expect(await violations(page), 'assets, pairing and links').toEqual([]);
		await page.getByRole('link', { name: 'Map', exact: true }).click();
		await page.getByLabel('Picture of the map').setInputFiles({
			name: 'sketch.png',
			mimeType: 'image/png',
			buffer: await page.screenshot()
		});
		await page.getByRole('button', { name: 'Add base map' }).click();
		await page.getByTestId('image-map').waitFor();
		expect(await violations(page), 'asset map').toEqual([]);
		await page.goto(`${suite.server.url}/settings`);
		// Checked once the screen is drawn: axe on a page still loading finds no main or heading.
		await page.getByRole('heading', { level: 1 }).waitFor();
		expect(await violations(page), 'settings').toEqual([]);
		await page.goto(`${suite.server.url}/join#k=broken`);
		await page.getByRole('heading', { level: 1 }).waitFor();
		expect(await violations(page), 'bad invite').toEqual([]);
		await context.close();
	});
});
