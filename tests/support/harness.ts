// Shared set-up for the end-to-end suite: the real app server (static build +
// signaling) on a free loopback port, and Debian's Chromium driven by
// playwright-core. Each "device" is its own browser context, so IndexedDB is
// separate and sync has to cross real WebRTC.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createAppServer } from '../../server/app-server.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A hostname that is not "localhost", so the origin is not a secure context. */
export const INSECURE_HOST = 'barnraise.test';

const buildDir = fileURLToPath(new URL('../../build', import.meta.url));

export interface RunningServer {
	port: number;
	url: string;
	insecureUrl: string;
	logLines: string[];
	stop(): Promise<void>;
}

export async function startServer(port = 0): Promise<RunningServer> {
	const logLines: string[] = [];
	const { server, close } = createAppServer({ buildDir, log: (line) => logLines.push(line) });
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const actual = (server.address() as AddressInfo).port;
	return {
		port: actual,
		url: `http://localhost:${actual}`,
		insecureUrl: `http://${INSECURE_HOST}:${actual}`,
		logLines,
		stop: async () => {
			await close();
		}
	};
}

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`
		]
	});
}

export interface Device {
	context: BrowserContext;
	page: Page;
	errors: string[];
}

/** A fresh "device": its own context (own IndexedDB), one page. */
export async function openDevice(browser: Browser, url: string): Promise<Device> {
	const context = await browser.newContext();
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.goto(url);
	return { context, page, errors };
}
