// Shared set-up for the end-to-end suite and the benchmarks: the real app
// server (static build + signaling) on a free loopback port, and Debian's
// Chromium driven by playwright-core. Each "device" is its own browser
// context, so IndexedDB is separate and sync has to cross real WebRTC.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAppServer } from '../../server/app-server.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A hostname that is not "localhost", so the origin is not a secure context. */
export const INSECURE_HOST = 'barnraise.test';

export const buildDir = fileURLToPath(new URL('../../build', import.meta.url));

/**
 * @typedef {object} RunningServer
 * @property {number} port
 * @property {string} url
 * @property {string} insecureUrl
 * @property {string[]} logLines
 * @property {() => ReturnType<ReturnType<typeof import('../../server/signaling.js').createSignalingServer>['stats']> | undefined} signalingStats
 *   the signaling server's counts (none when started without signaling)
 * @property {() => Promise<void>} stop
 */

/**
 * @param {number} [port] 0 picks a free one
 * @param {string} [dir] the built app to serve (default: build/)
 * @param {{ key: string, cert: string }} [tls] serve HTTPS and wss:
 * @param {{ withSignaling?: boolean, networkOrigins?: boolean }} [options] networkOrigins: say
 *   the insecure name is this server's network address, as `npm start` says its LAN address
 * @returns {Promise<RunningServer>}
 */
export async function startServer(port = 0, dir = buildDir, tls = undefined, options = {}) {
	/** @type {string[]} */
	const logLines = [];
	const { server, signaling, close } = createAppServer({
		buildDir: dir,
		log: (line) => logLines.push(line),
		tls,
		withSignaling: options.withSignaling ?? true,
		// Its "LAN address", when asked for: a name Chromium maps to loopback.
		networkOrigins: () =>
			options.networkOrigins
				? [`${tls ? 'https' : 'http'}://${INSECURE_HOST}:${listeningPort()}`]
				: []
	});
	const listeningPort = () => /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	});
	const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	const scheme = tls ? 'https' : 'http';
	return {
		port: actual,
		url: `${scheme}://localhost:${actual}`,
		insecureUrl: `${scheme}://${INSECURE_HOST}:${actual}`,
		logLines,
		signalingStats: () => signaling?.stats(),
		stop: async () => {
			await close();
		}
	};
}

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`
];

/** @param {string[]} [extraArgs] more Chromium switches, e.g. a fake camera */
export async function launchBrowser(extraArgs = []) {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [...CHROMIUM_ARGS, ...extraArgs]
	});
}

/**
 * A browser with a profile on disk, as a phone's browser has: closing it and
 * launching it again on the same folder is a browser restart.
 * @param {string} userDataDir
 */
export async function launchPersistentBrowser(userDataDir) {
	return chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS
	});
}

/**
 * The process id of the browser (not a renderer or helper) that
 * `launchPersistentBrowser(userDataDir)` started from this test process, to
 * kill it the way a phone's system kills a browser: no goodbye. Found among
 * this process's own children by its profile folder.
 * @param {string} userDataDir
 * @returns {number}
 */
export function browserProcessId(userDataDir) {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let cmdline, stat;
		try {
			cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const args = cmdline.split('\0');
		if (parent !== process.pid) continue;
		if (!args.includes(`--user-data-dir=${userDataDir}`)) continue;
		if (args.some((arg) => arg.startsWith('--type='))) continue;
		return Number(entry);
	}
	throw new Error(`no browser of this test runs on ${userDataDir}`);
}

/**
 * @typedef {object} Device
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Page} page
 * @property {string[]} errors uncaught errors seen on the page
 */

/**
 * A fresh "device": its own context (own IndexedDB), one page.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {import('playwright-core').BrowserContextOptions} [options]
 * @returns {Promise<Device>}
 */
export async function openDevice(browser, url, options = {}) {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	/** @type {string[]} */
	const errors = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.goto(url);
	return { context, page, errors };
}
