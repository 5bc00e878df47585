// Pairing links under sync v2 (#14, slice 5): with no server of any kind,
// two devices with v2 on pair by codes and the link carries the engine's
// signed log entries, never Yjs sync; a forged ledger write that crosses a
// paired link is refused and named like one from the mesh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
	buildDir,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import { createSpace, inviteLink, joinByInvite, pickName, post, postCard } from '../support/flows';
import {
	engineState,
	entryQuantity,
	forgeLedgerWrite,
	holdsForgery,
	seeForgeryRefused
} from '../support/sync-v2';

/** Start pairing on `from`, answer on `to`, finish on `from`, by the codes' text. */
async function pair(from: Page, to: Page) {
	await from.getByRole('button', { name: 'Start pairing' }).click();
	const offer = await from.getByTestId('my-pairing-code').inputValue();
	await to.getByLabel('Or answer a code from another device').fill(offer);
	await to.getByRole('button', { name: 'Make my answer' }).click();
	const answer = await to.getByTestId('my-pairing-code').inputValue();
	await from.getByLabel('The other device’s answer').fill(answer);
	await from.getByRole('button', { name: 'Connect' }).click();
	await to.getByRole('button', { name: 'Done', exact: true }).click();
	for (const page of [from, to])
		await page
			.locator('[data-testid="paired-links"] li[data-state="linked"]')
			.first()
			.waitFor({ timeout: 20_000 });
}

describe('pairing under sync v2, with no server of any kind', () => {
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

	it('carries signed entries both ways, and a forged ledger write is refused by name', async () => {
		const a = await openDevice(browser, server.url, { viewport: { width: 360, height: 740 } });
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Signed parking lot');
		await post(a.page, { kind: 'need', title: 'Water for the clinic' });
		const link = await inviteLink(a.page);

		const b = await openDevice(browser, server.url);
		await joinByInvite(b.page, link, 'Ben');
		for (const device of [a, b])
			await device.page.getByRole('button', { name: 'Pair', exact: true }).click();
		await pair(a.page, b.page);

		await b.page.getByTestId('space-name').filter({ hasText: 'Signed parking lot' }).waitFor();
		await postCard(b.page, 'Water for the clinic').waitFor({ timeout: 10_000 });
		await post(b.page, { kind: 'offer', title: 'A car with a full tank' });
		await postCard(a.page, 'A car with a full tank').waitFor({ timeout: 10_000 });
		for (const page of [a.page, b.page])
			expect(await engineState(page)).toEqual({ authors: 2, refused: 0 });

		// Ben's device records an entry, then turns hostile: a signed overwrite of it.
		const entry = await forgeLedgerWrite(b.page);
		await seeForgeryRefused(a.page, 'Ben’s device');
		expect(await holdsForgery(a.page)).toBe(false);
		expect(await entryQuantity(a.page, entry)).toBe(100);
		expect((await engineState(a.page)).refused).toBe(1);
		await expect(a.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect([...a.errors, ...b.errors]).toEqual([]);
		await Promise.all([a.context.close(), b.context.close()]);
	});
});
