import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openDevice, startServer, type RunningServer } from '../support/harness';

describe('app shell', () => {
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('serves the built app and it renders without errors', async () => {
		const device = await openDevice(browser, server.url);
		await expect(device.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
			'Barnraise'
		);
		expect(device.errors).toEqual([]);
		await device.context.close();
	});
});
