import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice, startServer, type RunningServer } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	boardSnapshot,
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard
} from '../support/flows';

async function exportBundle(page: Page, sinceCode: string | null = null): Promise<string> {
	const downloaded = page.waitForEvent('download');
	if (sinceCode) {
		await page.getByText('Only what another device lacks').click();
		await page.getByLabel('The other device’s state code').fill(sinceCode);
		await page.getByRole('button', { name: 'Export what it lacks' }).click();
	} else {
		await page.getByRole('button', { name: 'Export bundle' }).click();
	}
	const download = await downloaded;
	expect(download.suggestedFilename()).toMatch(sinceCode ? /-delta\.barnraise$/ : /\.barnraise$/);
	return download.path();
}

// Two groups with no network between them at all: each device talks to its
// own laptop's server, so only the file carries the space across.
describe('carrying a space as a file', () => {
	const suite = useServerAndBrowser();
	let otherServer: RunningServer;
	let thirdServer: RunningServer;
	const dir = mkdtempSync(join(tmpdir(), 'barnraise-bundles-'));

	beforeAll(async () => {
		otherServer = await startServer();
		thirdServer = await startServer();
	});
	afterAll(async () => {
		await otherServer?.stop();
		await thirdServer?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('exports a bundle, imports it on a device that never met this one, then a delta; bad files change nothing', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Shelter 4');
		await post(a.page, { kind: 'need', title: 'Tarps for the roof' });
		await post(a.page, { kind: 'offer', title: 'Two generators' });
		const link = (await inviteLink(a.page)).replace(suite.server.url, otherServer.url);

		const b = await openDevice(suite.browser, otherServer.url);
		await joinByInvite(b.page, link, 'Ben');
		await expect(b.page.getByTestId('post').count()).resolves.toBe(0);

		await a.page.getByRole('button', { name: 'File', exact: true }).click();
		const downloaded = a.page.waitForEvent('download');
		const full = await exportBundle(a.page);
		// Anyone who finds the file cannot tell which group it belongs to unless the person chose so.
		expect((await downloaded).suggestedFilename()).toMatch(
			/^barnraise-\d{4}-\d\d-\d\d\.barnraise$/
		);
		expect(readFileSync(full).toString('latin1')).not.toContain('Shelter');
		await b.page.getByRole('button', { name: 'File', exact: true }).click();
		await b.page.getByLabel('Import a bundle').setInputFiles(full);
		await b.page.getByTestId('bundle-message').filter({ hasText: 'merged' }).waitFor();
		await postCard(b.page, 'Tarps for the roof').waitFor();
		await postCard(b.page, 'Two generators').waitFor();
		await b.page.getByTestId('space-name').filter({ hasText: 'Shelter 4' }).waitFor();

		// Later: only what B lacks, from B's state code.
		const code = await b.page.getByTestId('state-code').inputValue();
		await post(a.page, { kind: 'need', title: 'Insulin' });
		const delta = await exportBundle(a.page, code);
		await b.page.getByLabel('Import a bundle').setInputFiles(delta);
		await postCard(b.page, 'Insulin').waitFor();
		expect(await boardSnapshot(b.page)).toBe(await boardSnapshot(a.page));
		// Each device lists the file among its links, with when.
		await b.page.getByRole('button', { name: 'Links' }).click();
		await b.page
			.locator('[data-testid="links"] tr[data-transport="file"]')
			.filter({ hasText: 'imported a bundle with new changes' })
			.waitFor();
		await a.page.getByRole('button', { name: 'Links' }).click();
		await a.page
			.locator('[data-testid="links"] tr[data-transport="file"]')
			.filter({ hasText: /exported .*-delta\.barnraise/ })
			.waitFor();

		// Garbage and a plain text file are refused by name; the board is untouched.
		const before = await boardSnapshot(b.page);
		const junk = join(dir, 'photo.jpg');
		writeFileSync(junk, Buffer.from('not a bundle, just some bytes'));
		await b.page.getByLabel('Import a bundle').setInputFiles(junk);
		await b.page
			.getByTestId('bundle-error')
			.filter({ hasText: 'not a Barnraise bundle' })
			.waitFor();
		const cut = join(dir, 'cut.barnraise');
		writeFileSync(cut, readFileSync(full).subarray(0, 200));
		await b.page.getByLabel('Import a bundle').setInputFiles(cut);
		await b.page
			.getByTestId('bundle-error')
			.filter({ hasText: /cut short|changed/ })
			.waitFor();
		expect(await boardSnapshot(b.page)).toBe(before);

		// A device with nothing opens the bundle from the home screen: it asks
		// for the invite (only members can read it), joins and imports.
		const c = await openDevice(suite.browser, thirdServer.url);
		await pickName(c.page, 'Cleo');
		await c.page.getByLabel('Open a bundle file').setInputFiles(full);
		await c.page.getByText('This bundle is for a space,').waitFor();
		// With the name chosen, the file and its header say it.
		await a.page.getByLabel('Put this space’s name on the file').check();
		const namedDownload = a.page.waitForEvent('download');
		const named = await exportBundle(a.page);
		expect((await namedDownload).suggestedFilename()).toMatch(/^Shelter-4-.*\.barnraise$/);
		await c.page.getByLabel('Open a bundle file').setInputFiles(named);
		await c.page.getByText('This bundle is for Shelter 4').waitFor();
		await c.page.getByLabel('Invite link for this space').fill('http://x/join#k=AAAA');
		await c.page.getByRole('button', { name: 'Join and import' }).click();
		await c.page
			.getByRole('alert')
			.filter({ hasText: /damaged or cut off/ })
			.waitFor();
		await c.page.getByLabel('Invite link for this space').fill(link);
		await c.page.getByRole('button', { name: 'Join and import' }).click();
		await c.page.getByTestId('import-notice').filter({ hasText: 'imported' }).waitFor();
		await postCard(c.page, 'Tarps for the roof').waitFor();
		expect(c.errors).toEqual([]);
		await c.context.close();

		expect(a.errors).toEqual([]);
		expect(b.errors).toEqual([]);
		await a.context.close();
		await b.context.close();
	});
});
