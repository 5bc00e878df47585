import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	buildDir,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import {
	boardSnapshot,
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard
} from '../support/flows';

/**
 * Start pairing on `from`, answer on `to`, finish on `from`. Only what the UI
 * shows crosses over: the code as text, or a photo of its QR code.
 */
async function pair(from: Page, to: Page, via: 'text' | 'photo' = 'text') {
	await from.getByRole('button', { name: 'Start pairing' }).click();
	const offer = await from.getByTestId('my-pairing-code').inputValue();
	expect(offer).toMatch(/^BRPAIR1\./);
	if (via === 'photo') {
		await to
			.getByLabel('Open a photo of the pairing code')
			.setInputFiles(await photoOfCode(from, 'offer.png'));
	} else {
		await to.getByLabel('Or answer a code from another device').fill(offer);
		await to.getByRole('button', { name: 'Make my answer' }).click();
	}
	const answer = await to.getByTestId('my-pairing-code').inputValue();
	if (via === 'photo') {
		await from
			.getByLabel('Open a photo of the answer code')
			.setInputFiles(await photoOfCode(to, 'answer.png'));
	} else {
		await from.getByLabel('The other device’s answer').fill(answer);
		await from.getByRole('button', { name: 'Connect' }).click();
	}
	await to.getByRole('button', { name: 'Done', exact: true }).click();
	for (const page of [from, to]) {
		await page
			.locator('[data-testid="paired-links"] li[data-state="linked"]')
			.first()
			.waitFor({ timeout: 20_000 });
	}
	return { offer, answer };
}

/** A row of the links list: how, with whom, in what state. */
function linkRow(page: Page, transport: string, who: string, state: string) {
	return page
		.locator(`[data-testid="links"] tr[data-transport="${transport}"][data-state="${state}"]`)
		.filter({ hasText: who });
}

/** A picture of the pairing QR code on `page`'s screen, as a phone would take it. */
async function photoOfCode(page: Page, name: string) {
	const buffer = await page.getByTestId('pairing-qr').locator('svg').screenshot();
	return { name, mimeType: 'image/png', buffer };
}

// The app is served, but there is no signaling server at all: the only way
// devices can meet is by exchanging pairing codes.
describe('pairing with no server of any kind', () => {
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		server = await startServer(0, buildDir, undefined, { withSignaling: false });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('pairs A with B and C with B by codes; edits flow both ways and onward through B', async () => {
		const a = await openDevice(browser, server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Parking lot');
		await post(a.page, { kind: 'need', title: 'Water for the clinic' });
		const link = await inviteLink(a.page);
		await expect(a.page.getByTestId('signaling-status').textContent()).resolves.toMatch(
			/no signaling/
		);

		const b = await openDevice(browser, server.url);
		await joinByInvite(b.page, link, 'Ben');
		const c = await openDevice(browser, server.url);
		await joinByInvite(c.page, link, 'Cleo');
		for (const device of [a, b, c])
			await device.page.getByRole('button', { name: 'Pair', exact: true }).click();

		const codes = await pair(a.page, b.page);
		// Small enough for a QR code a phone camera reads (version 40 holds 2,953 bytes; aim far lower).
		expect(codes.offer.length).toBeLessThan(1200);
		expect(codes.answer.length).toBeLessThan(1200);
		await postCard(b.page, 'Water for the clinic').waitFor();
		await post(b.page, { kind: 'offer', title: 'A car with a full tank' });
		await postCard(a.page, 'A car with a full tank').waitFor();

		// This time the codes travel as photos of their QR codes, at their real size.
		await pair(c.page, b.page, 'photo');
		await postCard(c.page, 'Water for the clinic').waitFor();
		// A's new edit reaches C, which never paired with A, through B.
		await post(a.page, { kind: 'need', title: 'Blood pressure cuff' });
		await postCard(c.page, 'Blood pressure cuff').waitFor({ timeout: 10_000 });
		await post(c.page, { kind: 'offer', title: 'Folding stretcher' });
		await postCard(b.page, 'Folding stretcher').waitFor({ timeout: 10_000 });
		await postCard(a.page, 'Folding stretcher').waitFor({ timeout: 10_000 });
		await expect.poll(() => boardSnapshot(c.page)).toBe(await boardSnapshot(a.page));

		// A code from another space, or a damaged one, is refused by name.
		await a.page
			.getByLabel('Or answer a code from another device')
			.fill('BRPAIR1.someotherspace.AAAA');
		await a.page.getByRole('button', { name: 'Make my answer' }).click();
		await a.page.getByRole('alert').filter({ hasText: 'another space' }).waitFor();

		// B's list of links names both paired devices; C's names B.
		await b.page.getByRole('button', { name: 'Links' }).click();
		for (const name of ['Ana', 'Cleo']) await linkRow(b.page, 'pairing', name, 'linked').waitFor();
		await c.page.getByRole('button', { name: 'Links' }).click();
		await linkRow(c.page, 'pairing', 'Ben', 'linked').waitFor();
		await expect(linkRow(c.page, 'pairing', 'Ben', 'linked').textContent()).resolves.toMatch(
			/just now/
		);
		// A second tab of C's browser on the same space is a link too.
		const secondTab = await c.context.newPage();
		await secondTab.goto(c.page.url());
		await linkRow(c.page, 'tab', 'you', 'linked').waitFor();
		await secondTab.close();
		// After a restart the paired link is gone, but C still knows when it last synced with B.
		await c.page.reload();
		await c.page.getByRole('button', { name: 'Links' }).click();
		await linkRow(c.page, 'pairing', 'Ben', 'not connected').waitFor();
		await expect(linkRow(c.page, 'pairing', 'Ben', 'not connected').textContent()).resolves.toMatch(
			/just now|min ago/
		);

		for (const device of [a, b, c]) {
			expect(device.errors).toEqual([]);
			await device.context.close();
		}
	});
});
