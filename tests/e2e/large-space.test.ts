import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	boardTotal,
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	seedPosts,
	waitForPeers
} from '../support/flows';

// Stock y-webrtc drops any data-channel message over 256 KiB without a
// word, so a fresh peer joining a space of more than ~1,000 posts got
// nothing. 20,000 posts is a ~4 MB sync reply: it must arrive whole. On
// plain http, as on a LAN without a certificate: there the page has no
// WebCrypto, and a worker hashes the entries (prehash.ts).
describe('a fresh device joins a large space', () => {
	const suite = useServerAndBrowser();

	it('receives all of 20,000 posts over WebRTC', async () => {
		const a = await openDevice(suite.browser, suite.server.insecureUrl);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Big county response');
		await seedPosts(a.page, 20_000);
		await expect.poll(() => boardTotal(a.page), { timeout: 30_000 }).toBe(20_000);
		const link = await inviteLink(a.page);

		const c = await openDevice(suite.browser, suite.server.insecureUrl);
		await joinByInvite(c.page, link, 'Cleo');
		await waitForPeers(c.page, 1, 30_000);
		await expect.poll(() => boardTotal(c.page), { timeout: 60_000, interval: 500 }).toBe(20_000);
		// The entries were hashed beside the page, not on its thread.
		expect(await c.page.evaluate(() => globalThis.isSecureContext)).toBe(false);
		const hashed = await Promise.all(
			c.page
				.workers()
				.map((worker) =>
					worker.evaluate(
						() => (globalThis as { hashedEntries?: () => number }).hashedEntries?.() ?? 0
					)
				)
		);
		expect(hashed.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
		// Drawn a page at a time, not 20,000 cards at once.
		const cards = c.page.getByTestId('post');
		await expect.poll(() => cards.count()).toBe(30);
		await c.page.getByRole('button', { name: 'Show 30 more' }).click();
		await expect.poll(() => cards.count()).toBe(60);
		// Spot-check content, not only the count.
		await c.page.getByLabel('Search').fill('Seeded post 19999');
		await c.page.getByRole('heading', { name: 'Seeded post 19999' }).waitFor();

		expect(a.errors).toEqual([]);
		expect(c.errors).toEqual([]);
		await a.context.close();
		await c.context.close();
	});
});
