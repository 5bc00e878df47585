// An invite made on the laptop at localhost must not send a phone to itself:
// the server says its network address, the invite uses it, and a second
// device that opens it joins. Without one, the panel says plainly why the
// link will not work elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	INSECURE_HOST,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import { createSpace, joinByInvite, pickName } from '../support/flows';

describe('invite address', () => {
	let browser: Browser;
	let server: RunningServer;
	beforeAll(async () => {
		// This server's "network address" is a name Chromium maps to loopback.
		server = await startServer(0, undefined, undefined, { networkOrigins: true });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('uses the network address the server names, and another device joins with it', async () => {
		const a = await openDevice(browser, server.url);
		expect(new URL(server.url).hostname).toBe('localhost');
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Eastside relief');
		await a.page.getByRole('button', { name: 'Invite' }).click();
		const network = `http://${INSECURE_HOST}:${server.port}`;
		await expect
			.poll(() => a.page.getByTestId('invite-link').inputValue())
			.toMatch(new RegExp(`^${network}/join#k=`));
		await a.page.getByText('the invite uses its network address', { exact: false }).waitFor();

		// Choosing this device's own address says what that means.
		await a.page.getByTestId('invite-address').selectOption(server.url);
		await expect(a.page.getByTestId('invite-link').inputValue()).resolves.toMatch(
			/^http:\/\/localhost:\d+\/join#k=/
		);
		await a.page.getByText('a phone that scans it opens itself', { exact: false }).waitFor();
		await a.page.getByTestId('invite-address').selectOption(network);

		const link = await a.page.getByTestId('invite-link').inputValue();
		const b = await openDevice(browser, network);
		await joinByInvite(b.page, link, 'Ben');
		expect(new URL(b.page.url()).origin).toBe(network);
		await b.page.getByTestId('space-name').filter({ hasText: 'Eastside relief' }).waitFor();
		expect([...a.errors, ...b.errors]).toEqual([]);
	});

	it('says the link only works on this device when the server knows no other address', async () => {
		const plain = await startServer();
		try {
			const { page, errors } = await openDevice(browser, plain.url);
			await pickName(page, 'Ana');
			await createSpace(page, 'Eastside relief');
			await page.getByRole('button', { name: 'Invite' }).click();
			await page.getByTestId('invite-local-only').waitFor();
			await expect(page.getByTestId('invite-link').inputValue()).resolves.toMatch(
				/^http:\/\/localhost:/
			);
			expect(await page.getByTestId('invite-address').count()).toBe(0);
			expect(errors).toEqual([]);
		} finally {
			await plain.stop();
		}
	});
});
