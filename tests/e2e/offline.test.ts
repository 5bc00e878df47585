import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import { createSpace, pickName, post, postCard } from '../support/flows';

describe('the app opens with no network after one visit (secure origin)', () => {
	const suite = useServerAndBrowser();

	it('reloads offline with its spaces, from the service worker and IndexedDB', async () => {
		const { page, context } = await openDevice(suite.browser, suite.server.url);
		await pickName(page, 'Ana');
		await createSpace(page, 'Riverside kitchen');
		await post(page, { kind: 'offer', title: 'Hot soup at 6pm' });
		await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
		// The shell is cached and this page is controlled by the service worker.
		await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, {
			timeout: 30_000
		});
		const spaceUrl = page.url();

		// The laptop goes away: server down, and the context has no network at all.
		await suite.server.stop();
		await context.setOffline(true);

		await page.reload();
		await postCard(page, 'Hot soup at 6pm').waitFor();
		await page.goto(spaceUrl.replace(/\/s\/.*/, '/'));
		await page.getByRole('link', { name: 'Riverside kitchen' }).click();
		await postCard(page, 'Hot soup at 6pm').waitFor();
		// Working offline still saves.
		await post(page, { kind: 'need', title: 'More bowls' });
		await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
		await expect(page.getByTestId('signaling-status').textContent()).resolves.toMatch(
			/no signaling server reachable/
		);
		await context.close();
	});
});
