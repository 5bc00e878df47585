import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	buildDir,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import { createSpace, pickName } from '../support/flows';

describe('a new version of the app', () => {
	let server: RunningServer;
	let browser: Browser;
	let servedDir: string;

	beforeAll(async () => {
		// Serve a copy of the build, so the test can "deploy" a new version into it.
		servedDir = mkdtempSync(join(tmpdir(), 'barnraise-build-'));
		cpSync(buildDir, servedDir, { recursive: true });
		server = await startServer(0, servedDir);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(servedDir, { recursive: true, force: true });
	});

	it('is announced, and applied only when the person presses Update', async () => {
		const { page, context } = await openDevice(browser, server.url);
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, {
			timeout: 30_000
		});
		await pickName(page, 'Ana');
		await createSpace(page, 'Hilltop pantry');
		const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

		// A new version lands on the laptop and `npm start` is run again: the
		// service worker's version string changes, same origin and port.
		const port = server.port;
		await server.stop();
		const workerFile = join(servedDir, 'service-worker.js');
		const source = readFileSync(workerFile, 'utf8');
		const next = source.replace(
			/([`"'])(\d{10,})\1/,
			(_match, quote: string, digits: string) =>
				`${quote}${digits.slice(0, -1)}${(Number(digits.at(-1)) + 1) % 10}${quote}`
		);
		expect(next).not.toBe(source);
		writeFileSync(workerFile, next);
		// The build is also precompressed; a deploy replaces those copies too.
		for (const compressed of ['.br', '.gz']) rmSync(workerFile + compressed, { force: true });
		server = await startServer(port, servedDir);
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});
		const banner = page
			.getByRole('status')
			.filter({ hasText: 'A new version of Barnraise is ready' });
		await banner.waitFor({ timeout: 30_000 });
		// Nothing was swapped in on its own: the space is still open, same page.
		await expect(page.getByTestId('space-name').textContent()).resolves.toContain('Hilltop pantry');

		const reloaded = page.waitForEvent('load');
		await banner.getByRole('button', { name: 'Update now' }).click();
		await reloaded;
		await page.getByTestId('space-name').filter({ hasText: 'Hilltop pantry' }).waitFor();
		await expect(
			page.getByRole('status').filter({ hasText: 'A new version' }).count()
		).resolves.toBe(0);
		const state = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return {
				waiting: registration?.waiting ?? null,
				controlled: !!navigator.serviceWorker.controller
			};
		});
		expect(state).toEqual({ waiting: null, controlled: true });
		expect(firstWorker).toContain('/service-worker.js');
		await context.close();
	});
});
