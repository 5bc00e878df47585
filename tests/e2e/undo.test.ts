import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard,
	waitForPeers
} from '../support/flows';
import { useServerAndBrowser } from '../support/suite';

describe('undo on the board', () => {
	const suite = useServerAndBrowser();

	it('takes back a mistaken "Mark done" on every device', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Undo street');
		await post(a.page, { kind: 'need', title: 'Baby formula' });
		const b = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(b.page, await inviteLink(a.page), 'Ben');
		await waitForPeers(a.page);
		// Read from the device's own board model: a done post leaves the default (open) view.
		const status = (page: typeof a.page) =>
			page.evaluate(() => {
				const records = (
					globalThis as unknown as {
						barnraise: {
							board: { records: Map<string, { ok: boolean; post?: { status: string } }> };
						};
					}
				).barnraise.board.records;
				return [...records.values()].map((record) => record.post?.status).join(',');
			});
		await expect.poll(() => status(b.page), { timeout: 15_000 }).toBe('open');

		await postCard(a.page, 'Baby formula').getByRole('button', { name: 'Mark done' }).click();
		const bar = a.page.getByTestId('undo-bar');
		await expect(bar.textContent()).resolves.toContain('Marked “Baby formula” done.');
		await expect.poll(() => status(b.page), { timeout: 15_000 }).toBe('done');

		await bar.getByRole('button', { name: 'Undo' }).click();
		await bar.waitFor({ state: 'detached' });
		await expect.poll(() => status(a.page)).toBe('open');
		await postCard(a.page, 'Baby formula').waitFor();
		await expect.poll(() => status(b.page), { timeout: 15_000 }).toBe('open');

		expect(a.errors).toEqual([]);
		expect(b.errors).toEqual([]);
		await a.context.close();
		await b.context.close();
	});
});
