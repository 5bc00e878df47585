// Joining a space nobody else is online for: the device shows the name from
// the invite, says no member has been seen yet and why (nobody online, or the
// server that cannot be reached), and offers the ways in that need no server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openDevice, startServer, type RunningServer } from '../support/harness';
import { createSpace, inviteLink, joinByInvite, pickName } from '../support/flows';

describe('a space no member has been seen for', () => {
	let browser: Browser;
	let server: RunningServer;
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('says who it waits for, why, and what else to try', async () => {
		const a = await openDevice(browser, server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Eastside relief');
		const link = await inviteLink(a.page);
		expect(await a.page.getByTestId('waiting-for-members').count()).toBe(0);
		await a.context.close();

		const b = await openDevice(browser, server.url);
		await joinByInvite(b.page, link, 'Ben');
		const waiting = b.page.getByTestId('waiting-for-members');
		// No false alarm while the signaling socket is still connecting.
		await waiting.waitFor();
		expect(await waiting.getByTestId('waiting-unreachable').count()).toBe(0);
		await waiting
			.getByRole('heading', { name: 'No member of “Eastside relief” has been seen yet' })
			.waitFor();
		await b.page.getByTestId('space-name-waiting').filter({ hasText: 'Eastside relief' }).waitFor();
		expect(await b.page.getByTestId('space-name').count()).toBe(0);
		await waiting
			.getByText('no other member of this space is online right now', { exact: false })
			.waitFor();

		await waiting.getByRole('button', { name: 'Pair with a device nearby' }).click();
		await b.page.getByRole('button', { name: 'Pair', exact: true, expanded: true }).waitFor();
		await waiting.getByRole('button', { name: 'Open a file of the space' }).click();
		await b.page.getByRole('button', { name: 'File', exact: true, expanded: true }).waitFor();

		// The server goes away: the notice names the address it cannot reach.
		await server.stop();
		const signal = `ws://localhost:${server.port}/signal`;
		await waiting.getByTestId('waiting-unreachable').waitFor({ timeout: 20_000 });
		await waiting.getByText(signal).waitFor();
		expect(b.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
	});
});
