// The set-up most end-to-end files share: the real app server and one
// Chromium for the whole file, stopped afterwards.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness';

export interface Suite {
	server: RunningServer;
	browser: Browser;
}

/** Call inside a describe(): the returned object is filled before the tests run. */
export function useServerAndBrowser(): Suite {
	const suite = {} as Suite;
	beforeAll(async () => {
		suite.server = await startServer();
		suite.browser = await launchBrowser();
	});
	afterAll(async () => {
		await suite.browser?.close();
		await suite.server?.stop();
	});
	return suite;
}
