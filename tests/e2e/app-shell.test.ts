import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';

describe('app shell', () => {
	const suite = useServerAndBrowser();

	it('serves the built app and it renders without errors', async () => {
		const device = await openDevice(suite.browser, suite.server.url);
		await expect(device.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
			'Barnraise'
		);
		expect(device.errors).toEqual([]);
		await device.context.close();
	});
});
