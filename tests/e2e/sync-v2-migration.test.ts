// A space made before signed sync, as an older app left it on a device: a
// Yjs doc in IndexedDB written under the old random client ids, at schema
// version 1, with no signed logs, and a supply entry a hostile device once
// changed (before signatures every device kept that). Opening it migrates
// it: its old content becomes the first entries of the device's signed log,
// mended so that peers accept it without changing what the device shows;
// the schema goes to 2; and a fresh device joining gets all of it.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import { createPost, initSpace, upsertMember } from '../../src/lib/doc/space-doc';
import { createItem, createSite, entriesMap, recordEntry } from '../../src/lib/doc/supplies-doc';
import { POST_FIELDS } from '../../src/lib/sync/v2/network.test-helper';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	openSupplies,
	pickName,
	postCard,
	stockShown
} from '../support/flows';

const PHONE = { viewport: { width: 360, height: 740 } };
const T0 = Date.UTC(2026, 5, 1);

/**
 * The old app's doc of the space, as an update: Ana's posts and stock, and
 * Mallory's change of one supply entry (500 received became 5,000).
 */
function oldSpace(name: string, ana: MemberId): Uint8Array {
	const doc = new Y.Doc();
	initSpace(doc, name, T0, '', 1);
	upsertMember(doc, ana, { name: 'Ana', color: '#336699', joinedAt: T0 });
	createPost(
		doc,
		'post-old-tarps' as PostId,
		{ ...POST_FIELDS, kind: 'need', title: 'Tarps before v2' },
		ana,
		T0
	);
	createPost(
		doc,
		'post-old-generator' as PostId,
		{ ...POST_FIELDS, kind: 'offer', title: 'Generator before v2' },
		ana,
		T0
	);
	const site = createSite(
		doc,
		{ name: 'Depot', kind: 'depot', locationText: '', point: null, notes: '' },
		T0
	);
	const item = createItem(doc, { name: 'Water', unit: 'liter', category: 'water' }, T0);
	const entry = recordEntry(doc, { kind: 'received', item, site, quantity: 500 }, ana, T0);
	recordEntry(doc, { kind: 'distributed', item, site, quantity: 20 }, ana, T0);
	// Mallory's device, before signatures: a write over Ana's entry, which every device kept.
	const mallory = new Y.Doc();
	Y.applyUpdate(mallory, Y.encodeStateAsUpdate(doc));
	const written = entriesMap(mallory).get(entry) as Record<string, unknown>;
	entriesMap(mallory).set(entry, { ...written, quantity: 5000 });
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(mallory, Y.encodeStateVector(doc)));
	return Y.encodeStateAsUpdate(doc);
}

/** Leave the space, and make its databases what an older app left: the old doc and no logs. */
async function becomeOldSpace(page: Page, update: Uint8Array): Promise<void> {
	const spaceId = page.url().split('/s/')[1]!.split(/[/?#]/)[0]!;
	await page.goto(new URL('/', page.url()).href);
	await page.evaluate(
		async ({ spaceId, bytes }) => {
			const done = (request: IDBRequest | IDBTransaction) =>
				new Promise<void>((resolve, reject) => {
					if (request instanceof IDBTransaction) request.oncomplete = () => resolve();
					else request.onsuccess = () => resolve();
					request.onerror = () => reject(request.error);
				});
			await done(indexedDB.deleteDatabase(`barnraise-logs-${spaceId}`));
			const open = indexedDB.open(`barnraise-space-${spaceId}`);
			await done(open);
			const transaction = open.result.transaction(['updates'], 'readwrite');
			transaction.objectStore('updates').clear();
			transaction.objectStore('updates').add(new Uint8Array(bytes));
			await done(transaction);
			open.result.close();
		},
		{ spaceId, bytes: [...update] }
	);
	await page.goBack();
}

/** The open session: its logs' lengths, the schema, refusals, and whether any writer is new. */
function sessionState(page: Page) {
	return page.evaluate(() => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const session = (globalThis as any).barnraise?.session;
		if (!session) return null;
		return {
			lengths: (session.signed.engine.vector() as { length: number }[]).map((tip) => tip.length),
			stops: session.signed.engine.stops().length as number,
			schema: session.doc.getMap('meta').get('schemaVersion') as unknown
		};
	});
}

describe('a space made before signed sync', () => {
	const suite = useServerAndBrowser();

	it('is migrated on opening, mended as it shows, and a fresh device gets all of it', async () => {
		const a = await openDevice(suite.browser, suite.server.url, PHONE);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Old shelter');
		const ana = (await a.page.evaluate(
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			() => (globalThis as any).barnraise.memberId
		)) as MemberId;
		const link = await inviteLink(a.page);
		await becomeOldSpace(a.page, oldSpace('Old shelter', ana));

		// Opening it again migrates it: the import, then the schema change, in Ana's log.
		await a.page.getByTestId('space-name').filter({ hasText: 'Old shelter' }).waitFor();
		await expect
			.poll(async () => (await sessionState(a.page))?.lengths[0], { timeout: 10_000 })
			.toBeGreaterThanOrEqual(2);
		expect(await sessionState(a.page)).toMatchObject({
			lengths: [expect.any(Number)],
			schema: 2,
			stops: 0
		});
		await a.page.getByRole('link', { name: 'Needs & offers' }).click();
		await postCard(a.page, 'Tarps before v2').waitFor();
		// Mended without changing what Ana's device shows.
		await openSupplies(a.page);
		await expect
			.poll(() => stockShown(a.page), { timeout: 10_000 })
			.toEqual({ 'Depot|Water': 4980 });

		// A fresh device joins and gets all of it, refusing nothing.
		const c = await openDevice(suite.browser, suite.server.url, PHONE);
		await joinByInvite(c.page, link, 'Cy');
		await postCard(c.page, 'Tarps before v2').waitFor({ timeout: 20_000 });
		await postCard(c.page, 'Generator before v2').waitFor();
		await openSupplies(c.page);
		await expect
			.poll(() => stockShown(c.page), { timeout: 10_000 })
			.toEqual({ 'Depot|Water': 4980 });
		await expect(c.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect(await sessionState(c.page)).toMatchObject({ schema: 2, stops: 0 });
		expect([...a.errors, ...c.errors]).toEqual([]);
		await Promise.all([a.context.close(), c.context.close()]);
	});
});
