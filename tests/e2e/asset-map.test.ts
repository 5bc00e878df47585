import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, openDevice } from '../support/harness';
import { onePngTileArchive } from '../support/pmtiles';
import { useServerAndBrowser } from '../support/suite';
import {
	addAsset,
	assetRow,
	createSpace,
	inviteLink,
	joinByInvite,
	openAssets,
	pickName,
	waitForPeers
} from '../support/flows';

/** SHA-256 of the base map picture as the page shows it. */
async function pictureDigest(page: Page) {
	return page.evaluate(async () => {
		const img = document.querySelector<HTMLImageElement>('[data-testid="image-map"] img');
		if (!img) return null;
		const bytes = await (await fetch(img.src)).arrayBuffer();
		const digest = await crypto.subtle.digest('SHA-256', bytes);
		return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
	});
}

async function openMap(page: Page) {
	await page.getByRole('link', { name: 'Map', exact: true }).click();
	await page.getByRole('heading', { name: 'Asset map' }).waitFor();
}

describe('community asset map on two devices', () => {
	const suite = useServerAndBrowser();

	it('shares an image base map, a pin on it at the same place, and links both ways', async () => {
		const a = await openDevice(suite.browser, suite.server.url, {
			viewport: { width: 1280, height: 900 }
		});
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Block 14');
		const link = await inviteLink(a.page);
		await openAssets(a.page);
		await addAsset(a.page, {
			kind: 'skill',
			name: 'Marie — nurse',
			tags: 'first aid, Haitian Creole',
			availability: 'weekends'
		});
		await addAsset(a.page, { kind: 'association', name: 'St. Paul church', tags: 'kitchen' });
		// Bad input says what is wrong and keeps what was typed.
		await a.page.getByRole('button', { name: 'Add an asset' }).click();
		const form = a.page.locator('form.asset-form');
		await form.getByLabel('Name').fill('Generator');
		await form.getByLabel('a point on the earth').check();
		await form.getByLabel('Latitude, longitude').fill('95, 10');
		await form.getByRole('button', { name: 'Add asset' }).click();
		await form.getByRole('alert').filter({ hasText: 'latitude' }).waitFor();
		await expect(form.getByLabel('Name').inputValue()).resolves.toBe('Generator');
		await form.getByRole('button', { name: 'Cancel' }).click();

		// A picture of a "paper map": here, a screenshot of a drawn page.
		const drawing = await a.page.screenshot({ fullPage: false });
		await openMap(a.page);
		await a.page.getByLabel('Picture of the map').setInputFiles({
			name: 'block-14-sketch.png',
			mimeType: 'image/png',
			buffer: drawing
		});
		await a.page.getByLabel('Name (optional)').fill('Block 14 sketch');
		await a.page.getByRole('button', { name: 'Add base map' }).click();
		await a.page.getByTestId('image-map').waitFor();
		await a.page.locator('select[name="toPlace"]').selectOption({ label: 'Marie — nurse' });
		await a.page.getByRole('button', { name: 'Place it', exact: true }).click();
		await a.page.getByTestId('image-map').click({ position: { x: 240, y: 160 } });
		const pinA = a.page.getByTestId('map-pin').filter({ hasText: 'S' });
		await pinA.waitFor();
		const placeA = [await pinA.getAttribute('data-x'), await pinA.getAttribute('data-y')];
		expect(placeA.map(Number).every((n) => n > 0)).toBe(true);
		const digestA = await pictureDigest(a.page);
		expect(digestA).toMatch(/^[0-9a-f]{64}$/);

		// B joins and sees the same picture, and the pin at the same place.
		const b = await openDevice(suite.browser, suite.server.url, {
			viewport: { width: 1280, height: 900 }
		});
		await joinByInvite(b.page, link, 'Ben');
		await waitForPeers(b.page);
		await openAssets(b.page);
		await assetRow(b.page, 'St. Paul church').waitFor();
		await openMap(b.page);
		await b.page.getByTestId('image-map').waitFor({ timeout: 20_000 });
		await expect.poll(() => pictureDigest(b.page)).toBe(digestA);
		const pinB = b.page.getByRole('button', { name: 'Marie — nurse' });
		await expect(
			Promise.all([pinB.getAttribute('data-x'), pinB.getAttribute('data-y')])
		).resolves.toEqual(placeA);
		await b.page.getByTestId('map-legend').getByText('Skills (1)').waitFor();

		// B links the two assets; A sees the link, from both ends.
		await pinB.click();
		const detailB = b.page.getByTestId('asset-detail');
		await detailB.locator('select[name="relation"]').selectOption('member-of');
		await detailB.locator('select[name="linkTarget"]').selectOption({ label: 'St. Paul church' });
		await detailB.getByRole('button', { name: 'Link', exact: true }).click();
		await detailB.getByTestId('asset-links').getByText('is a member of').waitFor();
		// B edits the nurse from the map's side panel; the edit reaches A.
		await detailB.getByRole('button', { name: 'Edit' }).click();
		await b.page.locator('form.asset-form').getByLabel('Availability').fill('weekends and nights');
		await b.page.locator('form.asset-form').getByRole('button', { name: 'Save changes' }).click();
		await b.page.getByRole('status').filter({ hasText: 'Saved Marie — nurse.' }).waitFor();

		await a.page.getByRole('link', { name: 'List', exact: true }).click();
		await assetRow(a.page, 'Marie — nurse').filter({ hasText: 'weekends and nights' }).waitFor();
		await assetRow(a.page, 'St. Paul church').click();
		await a.page
			.getByTestId('asset-detail')
			.getByTestId('asset-links')
			.filter({ hasText: 'has as a member' })
			.filter({ hasText: 'Marie — nurse' })
			.waitFor();

		// A deletes the church: B's nurse is linked to nothing, with no dangling link.
		await a.page.getByTestId('asset-detail').getByRole('button', { name: 'Delete' }).click();
		await a.page.getByRole('button', { name: 'Yes, delete St. Paul church' }).click();
		await detailB.getByText('Nothing yet.').waitFor();

		expect({ a: a.errors, b: b.errors }).toEqual({ a: [], b: [] });
	});
});

/** Scripts over 400 KB fetched by the page so far: the map library is the only one. */
function bigScripts(page: Page) {
	return page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.filter(
				(entry) =>
					/\.m?js(\?|$)/.test(entry.name) &&
					(entry as PerformanceResourceTiming).decodedBodySize > 400_000
			)
			.map((entry) => entry.name)
	);
}

describe('points on the earth', () => {
	const suite = useServerAndBrowser();

	it('draws them with MapLibre (WebGL), loaded only on the map view, on plain ground and on a PMTiles file', async () => {
		const a = await openDevice(suite.browser, suite.server.url, {
			viewport: { width: 1280, height: 900 }
		});
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Little Haiti');
		await openAssets(a.page);
		await addAsset(a.page, {
			kind: 'place',
			name: 'Water point, 2nd Ave',
			point: '25.8276, -80.1945'
		});
		await addAsset(a.page, { kind: 'institution', name: 'Clinic', point: '25.8301, -80.1990' });
		await expect(bigScripts(a.page)).resolves.toEqual([]);

		await a.page.getByRole('link', { name: 'Map', exact: true }).click();
		const map = a.page.getByTestId('geo-map');
		await map.locator('[data-loaded="true"]').waitFor({ timeout: 30_000 });
		await expect(map.locator('canvas.maplibregl-canvas').count()).resolves.toBe(1);
		expect((await bigScripts(a.page)).length).toBeGreaterThan(0);
		const water = a.page.getByRole('button', { name: 'Water point, 2nd Ave' });
		await expect(
			Promise.all([water.getAttribute('data-lat'), water.getAttribute('data-lon')])
		).resolves.toEqual(['25.8276', '-80.1945']);
		// With no tiles under them, a grid with coordinates and a scale say where the points are;
		// each pin shows its asset's name.
		await map.getByTestId('map-grid').getByText(/° W$/).first().waitFor();
		await map
			.locator('.maplibregl-ctrl-scale')
			.filter({ hasText: /\d\s(m|km)$/ })
			.waitFor();
		await water.getByText('Water point, 2nd Ave').waitFor();

		// Add an asset by tapping the map: its point comes from where it was tapped.
		await a.page.getByRole('button', { name: 'Add a new asset at a spot' }).click();
		await map.click({ position: { x: 300, y: 250 } });
		const form = a.page.locator('form.asset-form');
		await form.getByLabel('Name').fill('Generator, 5 kW');
		const point = await form.getByLabel('Latitude, longitude').inputValue();
		expect(point).toMatch(/^25\.\d+, -80\.\d+$/);
		await form.getByRole('button', { name: 'Add asset' }).click();
		const generator = await a.page.getByRole('button', { name: 'Generator, 5 kW' }).boundingBox();
		const mapBox = await map.boundingBox();
		expect(Math.abs(generator!.x + generator!.width / 2 - (mapBox!.x + 300))).toBeLessThan(3);
		expect(Math.abs(generator!.y + generator!.height / 2 - (mapBox!.y + 250))).toBeLessThan(3);

		// A PMTiles archive from the device under the points; a file that is not one says so.
		await a.page.getByLabel('a PMTiles file on this device').check();
		await a.page.getByLabel(/^PMTiles file/).setInputFiles({
			name: 'not-tiles.pmtiles',
			mimeType: 'application/octet-stream',
			buffer: Buffer.from('these are not tiles at all')
		});
		await a.page.getByRole('alert').filter({ hasText: 'is not a PMTiles archive' }).waitFor();
		const tile = await a.page.screenshot({ clip: { x: 0, y: 0, width: 256, height: 256 } });
		await a.page.getByLabel(/^PMTiles file/).setInputFiles({
			name: 'area.pmtiles',
			mimeType: 'application/octet-stream',
			buffer: onePngTileArchive(tile)
		});
		await a.page
			.getByTestId('geo-map')
			.locator('[data-loaded="true"]')
			.waitFor({ timeout: 30_000 });
		await a.page.getByRole('button', { name: 'Clinic' }).waitFor();
		// Over tiles, no grid.
		await expect(map.getByTestId('map-grid').count()).resolves.toBe(0);
		// The archive stays on this device: after a reload it is under the points again.
		await a.page.reload();
		await a.page.getByText('Showing area.pmtiles').waitFor();
		await a.page
			.getByTestId('geo-map')
			.locator('[data-loaded="true"]')
			.waitFor({ timeout: 30_000 });

		// The inventory leaves as GeoJSON and comes into another space from it, once.
		await a.page.getByRole('link', { name: 'List', exact: true }).click();
		const [download] = await Promise.all([
			a.page.waitForEvent('download'),
			a.page.getByRole('button', { name: 'Download GeoJSON' }).click()
		]);
		const geojson = readFileSync((await download.path()) ?? '', 'utf8');
		expect(JSON.parse(geojson).features).toHaveLength(3);
		await a.page.goto(suite.server.url);
		await createSpace(a.page, 'Copy of Little Haiti');
		await openAssets(a.page);
		const importInput = a.page.getByLabel(/GeoJSON file exported from Barnraise/);
		await importInput.setInputFiles({
			name: 'notes.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from('{"type": "Feature"}')
		});
		await a.page.getByTestId('import-message').filter({ hasText: 'Nothing was changed' }).waitFor();
		const file = {
			name: 'assets.geojson',
			mimeType: 'application/geo+json',
			buffer: Buffer.from(geojson)
		};
		await importInput.setInputFiles(file);
		await a.page
			.getByTestId('import-message')
			.filter({ hasText: 'Imported 3 new assets' })
			.waitFor();
		await assetRow(a.page, 'Generator, 5 kW').waitFor();
		await importInput.setInputFiles(file);
		await a.page
			.getByTestId('import-message')
			.filter({ hasText: 'Imported 0 new assets' })
			.waitFor();
		await expect(a.page.getByTestId('asset-count').getAttribute('data-total')).resolves.toBe('3');
		expect(a.errors).toEqual([]);
	});

	it('shows them on a plain sheet where the browser has no WebGL', async () => {
		const noWebGL = await launchBrowser(['--disable-3d-apis']);
		try {
			const a = await openDevice(noWebGL, suite.server.url, {
				viewport: { width: 1280, height: 900 }
			});
			await pickName(a.page, 'Ana');
			await createSpace(a.page, 'No GPU here');
			await openAssets(a.page);
			await addAsset(a.page, { kind: 'equipment', name: 'Chainsaw', point: '18.5392, -72.3364' });
			await a.page.getByRole('link', { name: 'Map', exact: true }).click();
			await a.page.getByTestId('no-webgl').waitFor();
			const pin = a.page.getByRole('button', { name: 'Chainsaw' });
			await expect(pin.getAttribute('data-lat')).resolves.toBe('18.5392');
			// Placing still works, and gives a point on the earth.
			await a.page.getByRole('button', { name: 'Add a new asset at a spot' }).click();
			await a.page.getByTestId('image-map').click({ position: { x: 200, y: 200 } });
			await expect(
				a.page.locator('form.asset-form').getByLabel('Latitude, longitude').inputValue()
			).resolves.toMatch(/^\d+\.\d+, -\d+\.\d+$/);
			expect(a.errors).toEqual([]);
		} finally {
			await noWebGL.close();
		}
	});
});
