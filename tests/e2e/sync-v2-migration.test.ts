// Sync v2 meets a space made before it (#14, slice 6): a space made and
// filled with the switch off is migrated when its device reopens it with the
// switch on (its old content becomes a legacy entry of the device's signed
// log, its schema goes to 2); a fresh v2 device joining gets all of it; and
// the same device with the switch off again says to update the app instead
// of writing into the migrated space.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
	post,
	postCard,
	recordMovement,
	stockShown
} from '../support/flows';

const PHONE = { viewport: { width: 360, height: 740 } };

/** Turn v2 on or off for this device (the switch is read when a space opens), and reopen. */
async function setSwitch(page: Page, on: boolean): Promise<void> {
	await page.evaluate((on) => {
		if (on) localStorage.setItem('barnraise:sync-v2', 'on');
		else localStorage.setItem('barnraise:sync-v2', 'off');
	}, on);
	await page.reload();
}

/** The open session: whether it syncs v2, its logs' lengths, the schema, and which ids wrote. */
function sessionState(page: Page) {
	return page.evaluate(() => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const session = (globalThis as any).barnraise?.session;
		if (!session) return null;
		return {
			signed: session.signed !== null,
			lengths: session.signed
				? (session.signed.engine.vector() as { length: number }[]).map((tip) => tip.length)
				: [],
			stops: session.signed ? session.signed.engine.stops().length : 0,
			schema: session.doc.getMap('meta').get('schemaVersion') as unknown,
			writers: [...session.doc.store.clients.keys()].map(String).sort() as string[]
		};
	});
}

describe('sync v2 migrating a space made before it', () => {
	const suite = useServerAndBrowser();

	it('migrates it on reopening, a fresh v2 device gets everything, and an app without v2 refuses to write', async () => {
		const a = await openDevice(suite.browser, suite.server.url, PHONE);
		// Made as an app without v2 makes it.
		await setSwitch(a.page, false);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Old shelter');
		await post(a.page, { kind: 'need', title: 'Tarps before v2' });
		await post(a.page, { kind: 'offer', title: 'Generator before v2' });
		await openSupplies(a.page);
		await addSite(a.page, 'Depot', 'depot');
		await addItem(a.page, 'Water', 'liter', 'water');
		await recordMovement(a.page, {
			kind: 'Received',
			site: 'Depot',
			item: 'Water (liter)',
			quantity: '500'
		});
		const link = await inviteLink(a.page);
		expect(await sessionState(a.page)).toMatchObject({ signed: false, schema: 1 });

		// The switch goes on: reopening migrates the space.
		await setSwitch(a.page, true);
		await a.page.getByTestId('space-name').filter({ hasText: 'Old shelter' }).waitFor();
		// The import and the schema change, as two entries of Ana's log.
		await expect
			.poll(() => sessionState(a.page), { timeout: 10_000 })
			.toMatchObject({
				signed: true,
				lengths: [2],
				schema: 2,
				stops: 0
			});
		await a.page.getByRole('link', { name: 'Needs & offers' }).click();
		await postCard(a.page, 'Tarps before v2').waitFor();

		// A fresh device with v2 joins and gets all of it.
		const c = await openDevice(suite.browser, suite.server.url, PHONE);
		await setSwitch(c.page, true);
		await joinByInvite(c.page, link, 'Cy');
		await postCard(c.page, 'Tarps before v2').waitFor({ timeout: 20_000 });
		await postCard(c.page, 'Generator before v2').waitFor();
		await openSupplies(c.page);
		await expect
			.poll(() => stockShown(c.page), { timeout: 10_000 })
			.toEqual({ 'Depot|Water': 500 });
		await expect(c.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect(await sessionState(c.page)).toMatchObject({ signed: true, schema: 2, stops: 0 });

		// Ana's device without v2 again: it says to update, shows nothing and writes nothing.
		const writers = (await sessionState(a.page))!.writers;
		await setSwitch(a.page, false);
		const notice = a.page.getByTestId('needs-newer-app');
		await notice.waitFor();
		await expect(notice.textContent()).resolves.toMatch(/newer version of Barnraise.*format 2/);
		expect(await postCard(a.page, 'Tarps before v2').count()).toBe(0);
		await expect(a.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		const off = await sessionState(a.page);
		expect(off).toMatchObject({ signed: false, schema: 2 });
		// No id wrote that had not written before.
		expect(off!.writers.filter((writer) => !writers.includes(writer))).toEqual([]);
		expect([...a.errors, ...c.errors]).toEqual([]);
		await Promise.all([a.context.close(), c.context.close()]);
	});
});
