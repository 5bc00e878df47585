// Sync protocol v2 on real WebRTC links, behind its switch (#14, slice 3):
// devices with `barnraise:sync-v2` on make and join a space whose changes
// cross the mesh only as signed log entries, verified and judged on arrival;
// y-webrtc's own sync carries a throwaway doc; a device breaking a rule is
// refused on the others, which say whose device and which rule.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard,
	waitForPeers
} from '../support/flows';
import {
	entryQuantity,
	forgeLedgerWrite,
	holdsForgery,
	seeForgeryRefused
} from '../support/sync-v2';

/** What the open session's v2 engine holds: authors and their lengths, and where y-webrtc's doc is. */
function engineState(page: Page) {
	return page.evaluate(() => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const session = (globalThis as any).barnraise.session;
		const vector = session.signed.engine.vector() as { length: number }[];
		return {
			lengths: vector.map((tip) => tip.length).sort(),
			providerDocIsOurs: session.provider.doc === session.doc,
			providerDocKeys: [...session.provider.doc.share.keys()].filter(
				(name: string) => session.provider.doc.share.get(name)._length > 0
			),
			refused: session.signed.engine.stops().length
		};
	});
}

describe('sync v2 between browser devices', () => {
	const suite = useServerAndBrowser();

	it('makes, joins and shares a space through signed logs only, and refuses a forged ledger write', async () => {
		// Ana's is a phone-sized screen: the refusal must read at 360 px.
		const a = await openDevice(suite.browser, suite.server.url, {
			viewport: { width: 360, height: 740 }
		});
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Signed shelter');
		const link = await inviteLink(a.page);

		const b = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(b.page, link, 'Ben');
		await waitForPeers(a.page);
		await waitForPeers(b.page);
		// The space's description reached Ben as Ana's first signed entry.
		await b.page.getByTestId('space-name').filter({ hasText: 'Signed shelter' }).waitFor();

		await post(a.page, { kind: 'need', title: 'Tarps for roofs' });
		await postCard(b.page, 'Tarps for roofs').waitFor({ timeout: 10_000 });
		await post(b.page, { kind: 'offer', title: 'Two generators' });
		await postCard(a.page, 'Two generators').waitFor({ timeout: 10_000 });

		for (const page of [a.page, b.page]) {
			const state = await engineState(page);
			// Ana's and Ben's logs, each holding their device's changes.
			expect(state.lengths).toHaveLength(2);
			expect(state.providerDocIsOurs).toBe(false);
			expect(state.providerDocKeys).toEqual([]);
			expect(state.refused).toBe(0);
		}

		// A third device joins later and gets both logs from the two holders.
		const c = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(c.page, link, 'Cy');
		await postCard(c.page, 'Tarps for roofs').waitFor({ timeout: 15_000 });
		await postCard(c.page, 'Two generators').waitFor({ timeout: 15_000 });
		// Presence went as PRESENCE on the engine's links (y-webrtc's own is dropped
		// on v2 channels): each device names the others as here, and the links
		// list names the device at the other end of a mesh link.
		await a.page
			.getByTestId('present')
			.filter({ hasText: 'Ben' })
			.filter({ hasText: 'Cy' })
			.waitFor();
		await c.page
			.getByTestId('present')
			.filter({ hasText: 'Ana' })
			.filter({ hasText: 'Ben' })
			.waitFor();
		await b.page.getByRole('button', { name: 'Links', exact: true }).click();
		await b.page
			.locator('[data-testid="links"] tr[data-transport="mesh"][data-state="linked"]')
			.filter({ hasText: 'Ana' })
			.waitFor();
		await b.page.getByRole('button', { name: 'Links', exact: true }).click();

		// Ben's device records an entry, then turns hostile: it overwrites that
		// entry in the supply ledger's map directly. It goes out signed.
		const entry = await forgeLedgerWrite(b.page);
		// Ana's device refuses it, says whose device and which rule, and applies none of it:
		// the entry as recorded stays.
		await seeForgeryRefused(a.page, 'Ben’s device');
		expect(await holdsForgery(a.page)).toBe(false);
		expect(await entryQuantity(a.page, entry)).toBe(100);
		await expect(a.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect((await engineState(a.page)).refused).toBe(1);
		expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
		await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
	});
});
