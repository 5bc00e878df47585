import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	addItem,
	addSite,
	createSpace,
	inviteLink,
	joinByInvite,
	openSupplies,
	pickName,
	recordMovement,
	stockShown,
	waitForPeers,
	waitForPeersExactly
} from '../support/flows';

describe('supply logs on two devices', () => {
	const suite = useServerAndBrowser();

	it('records offline on both, merges to stock that adds up, and carries corrections across', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Hurricane depot');
		await openSupplies(a.page);
		await addSite(a.page, 'Depot', 'depot');
		await addSite(a.page, 'Church', 'distribution');
		await addItem(a.page, 'Water', 'liter', 'water');
		await recordMovement(a.page, {
			kind: 'Received',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '1000'
		});

		const b = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(b.page, await inviteLink(a.page), 'Ben');
		await waitForPeers(a.page);
		await openSupplies(b.page);
		await expect.poll(() => stockShown(b.page)).toEqual({ 'Depot|Water': 1000 });

		// Both go offline and keep recording.
		await a.page.getByRole('button', { name: 'Pause sync' }).click();
		await waitForPeersExactly(b.page, 0);
		await recordMovement(a.page, {
			kind: 'Transfer',
			site: 'Depot',
			toSite: 'Church',
			item: 'Water (liter)',
			quantity: '400'
		});
		await recordMovement(a.page, {
			kind: 'Distributed',
			site: 'Church',
			item: 'Water (liter)',
			quantity: '340',
			households: '52'
		});
		await recordMovement(b.page, {
			kind: 'Distributed',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '100'
		});
		await recordMovement(b.page, {
			kind: 'Damaged',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '7'
		});

		await a.page.getByRole('button', { name: 'Resume sync' }).click();
		const expected = { 'Depot|Water': 1000 - 400 - 100 - 7, 'Church|Water': 400 - 340 };
		await expect.poll(() => stockShown(a.page), { timeout: 15_000 }).toEqual(expected);
		await expect.poll(() => stockShown(b.page), { timeout: 15_000 }).toEqual(expected);
		await expect(a.page.getByTestId('today-totals').textContent()).resolves.toMatch(
			/Distributed 440\s+liter\s+Water\s+to 52 households/
		);

		// Ben spots a typo (it was 10 damaged, not 7) and corrects it; Ana sees both.
		const damaged = b.page.getByTestId('ledger-entry').filter({ hasText: 'Damaged' });
		await damaged.getByRole('button', { name: 'Correct' }).click();
		const correction = b.page.locator('.correct-form form.movement');
		await correction.locator('input[name="quantity"]').fill('10');
		await correction.getByRole('button', { name: 'Record correction' }).click();
		const corrected = { 'Depot|Water': 1000 - 400 - 100 - 10, 'Church|Water': 60 };
		await expect.poll(() => stockShown(a.page), { timeout: 10_000 }).toEqual(corrected);
		const struck = a.page.locator('[data-testid="ledger-entry"][data-voided="true"]');
		await expect.poll(() => struck.count()).toBe(1);
		await expect(struck.locator('s').textContent()).resolves.toContain('Damaged −7');
		await a.page
			.getByTestId('ledger-entry')
			.filter({ hasText: 'correction of an earlier entry' })
			.waitFor();

		// A buggy peer writes a malformed entry: it is left out of the totals, visibly.
		await a.page.evaluate(() => {
			const model = (
				globalThis as unknown as {
					barnraise: { session: { doc: { getMap: (name: string) => Map<string, unknown> } } };
				}
			).barnraise;
			model.session.doc
				.getMap('entries')
				.set('entry-hostile-0001', { kind: 'received', quantity: 'lots' });
		});
		await b.page.getByTestId('unreadable-entries').waitFor();
		await expect(b.page.getByTestId('unreadable-entries').textContent()).resolves.toContain(
			'left out of these totals'
		);
		expect(await stockShown(b.page)).toEqual(corrected);

		expect(a.errors).toEqual([]);
		expect(b.errors).toEqual([]);
		await a.context.close();
		await b.context.close();
	});
});
