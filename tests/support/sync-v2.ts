// What the browser tests of sync v2 share: reading the engine's state, a device
// turning hostile with a signed write into the supply ledger, and checking
// that another device refused it, named whose device, and applied none of it.
import type { Page } from 'playwright-core';

/** How many authors' logs the open session's engine holds, and how many it stopped. */
export function engineState(page: Page) {
	return page.evaluate(() => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const session = (globalThis as any).barnraise.session;
		return {
			authors: session.signed.engine.vector().length as number,
			refused: session.signed.engine.stops().length as number
		};
	});
}

/** What the forged write puts in an entry it overwrites (and the relay's tests find on its disk). */
export const FORGED_MARK = 'FORGED-OVERWRITE';

/**
 * The device records 100 litres of water received through the app, then
 * turns hostile: it overwrites that ledger entry in the doc directly, 999
 * instead of 100, and the change goes out signed as its own. What it
 * changed before is logged first, so the forgery is an entry of its own (a
 * refused entry is refused whole). Returns the entry's id.
 */
export async function forgeLedgerWrite(page: Page): Promise<string> {
	return page.evaluate(async (mark) => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const { session, supplies } = (globalThis as any).barnraise;
		const site = supplies.addSite({
			name: 'Depot',
			kind: 'depot',
			locationText: '',
			point: null,
			notes: ''
		});
		const item = supplies.addItem({ name: 'Water', unit: 'L', category: 'water' });
		const id: string = supplies.record({ kind: 'received', site, item, quantity: 100 });
		await session.signed.flush();
		const entries = session.doc.getMap('entries');
		entries.set(id, { ...entries.get(id), quantity: 999, mark });
		return id;
	}, FORGED_MARK);
}

/** Whether this device's ledger holds the forged overwrite (any entry of 999). */
export function holdsForgery(page: Page): Promise<boolean> {
	return page.evaluate(() =>
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		[...(globalThis as any).barnraise.session.doc.getMap('entries').values()].some(
			(entry: { quantity?: unknown }) => entry?.quantity === 999
		)
	);
}

/** The quantity this device's ledger holds for entry `id`, if it holds the entry. */
export function entryQuantity(page: Page, id: string): Promise<unknown> {
	return page.evaluate(
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		(id) => (globalThis as any).barnraise.session.doc.getMap('entries').get(id)?.quantity,
		id
	);
}

/** Open the links panel and wait for the refusal of `device`'s ledger write to be listed. */
export async function seeForgeryRefused(page: Page, device: string): Promise<void> {
	await page.getByRole('button', { name: 'Links' }).click();
	await page
		.getByTestId('refused-changes')
		.locator('li[data-reason="fact-changed"]')
		.filter({ hasText: device })
		.waitFor({ timeout: 15_000 });
}
