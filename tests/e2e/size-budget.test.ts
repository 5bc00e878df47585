// What a phone downloads to open the app: the gzipped JavaScript of the home
// screen (the main route) must stay within 150 KiB, and the board's with it is
// printed so growth shows in every run.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildDir, openDevice } from '../support/harness';
import { createSpace, pickName } from '../support/flows';
import { useServerAndBrowser } from '../support/suite';

const MAIN_ROUTE_BUDGET_KIB = 150;

/** The scripts a page asks for, by path, from the moment this is called. */
function scriptsOf(page: Page): Set<string> {
	const paths = new Set<string>();
	page.on('request', (request) => {
		if (request.resourceType() === 'script') paths.add(new URL(request.url()).pathname);
	});
	return paths;
}

/** Their size as the server's gzip would send them, in KiB. */
function gzippedKiB(paths: Iterable<string>): number {
	let bytes = 0;
	for (const path of paths) bytes += gzipSync(readFileSync(buildDir + path), { level: 9 }).length;
	return bytes / 1024;
}

describe('download size', () => {
	const suite = useServerAndBrowser();

	it(`keeps the main route within ${MAIN_ROUTE_BUDGET_KIB} KiB of gzipped JavaScript`, async () => {
		const { page, errors } = await openDevice(suite.browser, suite.server.url);
		const scripts = scriptsOf(page);
		await page.goto(suite.server.url);
		await page.getByLabel('Your name in spaces').waitFor();
		await page.waitForLoadState('networkidle');
		const home = gzippedKiB(scripts);
		await pickName(page, 'Ana');
		await createSpace(page, 'Eastside relief');
		await page.getByTestId('board-count').waitFor();
		await page.waitForLoadState('networkidle');
		const withBoard = gzippedKiB(scripts);
		console.log(
			`main route: ${home.toFixed(1)} KiB gzipped JS; with a space's board: ${withBoard.toFixed(1)} KiB (${scripts.size} files)`
		);
		expect(home).toBeGreaterThan(10);
		expect(home).toBeLessThanOrEqual(MAIN_ROUTE_BUDGET_KIB);
		expect(errors).toEqual([]);
	});
});
