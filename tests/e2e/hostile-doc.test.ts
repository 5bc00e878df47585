// A space a hostile member filled with content built to break it (issue
// #13): a post of Y.Maps nested 5,000 deep, a post whose details are 2 MB,
// thousands of junk keys, a root map nobody reads, and a count dated ten
// years ahead, a bad field in the description and a bad member record. The
// device must still open the space after a reload, show the real posts,
// list the bad ones as unreadable, and keep stock moving.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import {
	addItem,
	addSite,
	createSpace,
	openSupplies,
	pickName,
	post,
	postCard,
	recordMovement,
	stockShown
} from '../support/flows';
import { writeDeepNesting, writeJunkKeys, writeRaw } from '../support/raw-doc';
import { useServerAndBrowser } from '../support/suite';

const YEAR = 365 * 86_400_000;

async function waitUntilSaved(page: Page): Promise<void> {
	await expect
		.poll(() =>
			page.evaluate(
				() =>
					(globalThis as unknown as { barnraise: { connection: { saveState: { kind: string } } } })
						.barnraise.connection.saveState.kind
			)
		)
		.toBe('saved');
}

/** The ids of the one site and one item on this device. */
async function supplyIds(page: Page): Promise<{ site: string; item: string }> {
	return page.evaluate(() => {
		const supplies = (
			globalThis as unknown as {
				barnraise: { supplies: { sites: { id: string }[]; items: { id: string }[] } };
			}
		).barnraise.supplies;
		return { site: supplies.sites[0]?.id ?? '', item: supplies.items[0]?.id ?? '' };
	});
}

async function boardLink(page: Page): Promise<void> {
	await page.getByRole('link', { name: 'Needs & offers' }).click();
}

describe('a space holding hostile content', () => {
	const suite = useServerAndBrowser();

	it('still opens after a reload, lists what it cannot read, and keeps stock moving', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Eastside');
		await post(a.page, { kind: 'need', title: 'Drinking water' });
		await post(a.page, { kind: 'offer', title: 'Spare tarps' });
		await openSupplies(a.page);
		await addSite(a.page, 'Depot', 'depot');
		await addItem(a.page, 'Water', 'liter', 'water');
		await recordMovement(a.page, {
			kind: 'Received',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '100'
		});
		const { site, item } = await supplyIds(a.page);

		await writeDeepNesting(a.page, 'posts', 'post-deep-nesting-01');
		await writeRaw(a.page, 'posts', 'post-huge-details-1', {
			kind: 'need',
			title: 'Huge',
			details: 'x'.repeat(2_000_000),
			status: 'open',
			createdBy: 'member-mallory-01',
			createdAt: 1,
			updatedAt: 1,
			claims: {}
		});
		await writeJunkKeys(a.page, 'posts', 5000);
		await writeJunkKeys(a.page, 'entries', 5000);
		await a.page.evaluate(() =>
			(
				globalThis as unknown as {
					barnraise: { session: { doc: import('yjs').Doc } };
				}
			).barnraise.session.doc
				.getMap('nobody-reads-this')
				.set('anything', 'x'.repeat(1000))
		);
		await writeRaw(a.page, 'entries', 'entry-forged-count-1', {
			kind: 'count',
			item,
			site,
			quantity: 0,
			recordedBy: 'member-mallory-01',
			recordedAt: Date.now() + 10 * YEAR
		});
		// One bad field of the description, one bad member record.
		await writeRaw(a.page, 'meta', 'createdAt', 'yesterday');
		await writeRaw(a.page, 'members', 'member-mallory-01', { name: 42 });
		await recordMovement(a.page, {
			kind: 'Distributed',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '30'
		});
		await expect.poll(() => stockShown(a.page)).toEqual({ 'Depot|Water': 70 });
		await waitUntilSaved(a.page);

		await a.page.reload();
		await a.page.getByTestId('space-name').filter({ hasText: 'Eastside' }).waitFor();
		await expect(a.page.getByTestId('unreadable-meta').textContent()).resolves.toMatch(
			/description could not be read.*createdAt/s
		);
		await expect(a.page.getByTestId('unreadable-members').textContent()).resolves.toMatch(
			/could not be read: 1\..*member-mallory-01/s
		);
		await boardLink(a.page);
		await postCard(a.page, 'Drinking water').waitFor();
		await postCard(a.page, 'Spare tarps').waitFor();
		const unreadable = a.page.getByRole('region', { name: 'Unreadable records' });
		await expect
			.poll(() => unreadable.getByRole('heading').textContent())
			.toBe('Unreadable records (5002)');
		const rows = await unreadable.getByTestId('unreadable-record').allTextContents();
		expect(rows).toHaveLength(50);
		// Each row: the record in words, then the reason folded away as a technical detail.
		expect(rows.join('\n')).toMatch(/post-deep-nesting-01\.\s*Technical detail\s*nested too deep/);
		expect(rows.join('\n')).toMatch(/post-huge-details-1\.\s*Technical detail\s*too large/);

		await openSupplies(a.page);
		await expect.poll(() => stockShown(a.page)).toEqual({ 'Depot|Water': 70 });
		await expect(a.page.getByTestId('unreadable-entries').textContent()).resolves.toMatch(/5,?001/);
		await recordMovement(a.page, {
			kind: 'Distributed',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '20'
		});
		await expect.poll(() => stockShown(a.page)).toEqual({ 'Depot|Water': 50 });

		// The deep post deleted (Yjs deletes nested types recursively: this threw), and reopened.
		await a.page.evaluate(() =>
			(
				globalThis as unknown as { barnraise: { session: { doc: import('yjs').Doc } } }
			).barnraise.session.doc
				.getMap('posts')
				.delete('post-deep-nesting-01')
		);
		await waitUntilSaved(a.page);
		await a.page.reload();
		await boardLink(a.page);
		await postCard(a.page, 'Drinking water').waitFor();
		await expect
			.poll(() => unreadable.getByRole('heading').textContent())
			.toBe('Unreadable records (5001)');
		expect(a.errors).toEqual([]);
		await a.context.close();
	}, 120_000);
});
