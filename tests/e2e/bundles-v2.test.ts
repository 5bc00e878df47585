// Bundles under sync v2 (#14, slice 5): with no server to link through, a
// file carries a space's signed logs to a device that never met the first;
// the importing device verifies and judges them like any link, so they land
// in its logs (and not only in its doc), and a ledger overwrite inside is
// refused and named like one from the mesh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
	buildDir,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import { createSpace, inviteLink, joinByInvite, pickName, post, postCard } from '../support/flows';
import { engineState, holdsForgery, seeForgeryRefused } from '../support/sync-v2';

describe('bundles under sync v2, with no server to link through', () => {
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		server = await startServer(0, buildDir, undefined, { withSignaling: false });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('carries signed logs in a file, and the importer refuses a forged ledger write by name', async () => {
		const a = await openDevice(browser, server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Signed shelter 4');
		await post(a.page, { kind: 'need', title: 'Tarps for the roof' });
		const link = await inviteLink(a.page);
		// Ana's device turns hostile before exporting: a signed write into the supply ledger,
		// in an entry of its own (the post is logged first, or both would go in one refused entry).
		const before = await a.page.evaluate(async () => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const session = (globalThis as any).barnraise.session;
			await session.signed.flush();
			session.doc.getMap('entries').set('forged-entry-1', { kind: 'received', quantity: 999 });
			return session.signed.engine.lengthOf(session.signed.log.author) as number;
		});
		// In Ana's log once the batcher has appended it.
		await a.page.waitForFunction((length) => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const signed = (globalThis as any).barnraise.session.signed;
			return signed.engine.lengthOf(signed.log.author) > length;
		}, before);

		const b = await openDevice(browser, server.url, { viewport: { width: 360, height: 740 } });
		await joinByInvite(b.page, link, 'Ben');

		await a.page.getByRole('button', { name: 'File', exact: true }).click();
		const downloaded = a.page.waitForEvent('download');
		await a.page.getByRole('button', { name: 'Export bundle' }).click();
		const file = await (await downloaded).path();

		await b.page.getByRole('button', { name: 'File', exact: true }).click();
		await b.page.getByLabel('Import a bundle').setInputFiles(file);
		await b.page.getByTestId('bundle-message').filter({ hasText: 'merged' }).waitFor();
		await postCard(b.page, 'Tarps for the roof').waitFor();
		await b.page.getByTestId('space-name').filter({ hasText: 'Signed shelter 4' }).waitFor();
		// Ana's log came in whole, and its forged change was refused. Ben's own log is there
		// too once its batcher signed Ben's member record (a quiet moment after the import).
		await expect
			.poll(() => engineState(b.page), { timeout: 10_000 })
			.toEqual({ authors: 2, refused: 1 });
		expect(await holdsForgery(b.page)).toBe(false);
		await seeForgeryRefused(b.page, 'Ana’s device');
		await expect(b.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect([...a.errors, ...b.errors]).toEqual([]);
		await Promise.all([a.context.close(), b.context.close()]);
	});
});
