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

/**
 * The device turns hostile: it writes into the supply ledger's map directly,
 * under a key no honest write makes, and it goes out signed as its own. What
 * it changed just before is logged first, so the forgery is an entry of its
 * own (a refused entry is refused whole).
 */
export async function forgeLedgerWrite(page: Page): Promise<void> {
	await page.evaluate(async () => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const session = (globalThis as any).barnraise.session;
		await session.signed.flush();
		session.doc.getMap('entries').set('forged-entry-1', { kind: 'received', quantity: 999 });
	});
}

/** Whether the forged write is in this device's doc. */
export function holdsForgery(page: Page): Promise<boolean> {
	return page.evaluate(() =>
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		(globalThis as any).barnraise.session.doc.getMap('entries').has('forged-entry-1')
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
