// The supply log: `entries` entries over 20 sites and 200 items. The full
// stock fold and one incremental entry, beside plain Yjs reading the same
// entries; then page load → stock view (median of 3 reloads), beside plain
// Yjs decoding the same state into a fresh doc.
import { openDevice } from '../tests/support/harness.js';
import { createSpace, pickName } from '../tests/support/flows.js';
import { percentile } from './probes.js';

/**
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {number} entries
 */
export async function benchLedger(browser, url, entries) {
	const a = await openDevice(browser, url);
	await pickName(a.page, 'Ana');
	await createSpace(a.page, 'Ledger');
	await a.page.getByRole('link', { name: 'Supplies' }).click();
	await a.page.getByRole('heading', { name: 'Supplies', level: 2 }).waitFor();
	const figures = await a.page.evaluate((count) => {
		const g = /** @type {any} */ (globalThis);
		const Y = g.barnraiseYjs;
		const supplies = g.barnraise.supplies;
		const doc = g.barnraise.session.doc;
		const sites = Array.from({ length: 20 }, (_, i) =>
			supplies.addSite({
				name: `Site ${i}`,
				kind: 'distribution',
				locationText: '',
				point: null,
				notes: ''
			})
		);
		const items = Array.from({ length: 200 }, (_, i) =>
			supplies.addItem({ name: `Item ${i}`, unit: 'box', category: 'food' })
		);
		const kinds = ['received', 'distributed', 'distributed', 'damaged', 'count'];
		doc.transact(() => {
			for (let i = 0; i < count; i++) {
				supplies.record({
					kind: kinds[i % kinds.length],
					site: sites[i % sites.length],
					item: items[(i * 7) % items.length],
					quantity: 1 + (i % 40),
					households: null
				});
			}
		});
		const median = (/** @type {number[]} */ runs) =>
			/** @type {number} */ (runs.sort((x, y) => x - y)[Math.floor(runs.length / 2)]);
		const entries = [...supplies.entries.values()];
		const Book = supplies.book.constructor;
		const fold = [];
		for (let i = 0; i < 5; i++) {
			const start = performance.now();
			Book.from(entries, Date.now());
			fold.push(performance.now() - start);
		}
		const book = Book.from(entries, Date.now());
		const incremental = [];
		for (let i = 0; i < 200; i++) {
			const entry = {
				...entries[i],
				id: `bench-extra-${String(i).padStart(6, '0')}`,
				recordedAt: Date.now() + i
			};
			const start = performance.now();
			book.add([entry], Date.now());
			incremental.push(performance.now() - start);
		}
		const plainRead = [];
		for (let i = 0; i < 5; i++) {
			const start = performance.now();
			let n = 0;
			doc.getMap(g.barnraiseRoots.entries).forEach(() => (n += 1));
			doc.getMap(g.barnraiseRoots.entries).toJSON();
			plainRead.push(performance.now() - start);
		}
		const update = Y.encodeStateAsUpdate(doc);
		return {
			entries: entries.length,
			foldMs: median(fold),
			incrementalMs: median(incremental),
			plainReadMs: median(plainRead),
			bytes: update.byteLength
		};
	}, entries);
	await a.page.waitForFunction(
		() =>
			document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved',
		null,
		{ timeout: 60_000 }
	);
	const runs = [];
	let plainDecodeMs = NaN;
	for (let i = 0; i < 3; i++) {
		await a.page.reload();
		const handle = await a.page.waitForFunction(
			() => {
				const mark = /** @type {PerformanceMark | undefined} */ (
					performance.getEntriesByName('barnraise:stock-rendered')[0]
				);
				return mark && document.querySelector('[data-testid="stock-table"]')
					? mark.startTime
					: null;
			},
			null,
			{ timeout: 120_000 }
		);
		runs.push(/** @type {number} */ (await handle.jsonValue()));
		plainDecodeMs = await a.page.evaluate(() => {
			const g = /** @type {any} */ (globalThis);
			const Y = g.barnraiseYjs;
			const update = Y.encodeStateAsUpdate(g.barnraise.session.doc);
			const start = performance.now();
			const fresh = new Y.Doc();
			Y.applyUpdate(fresh, update);
			fresh.getMap(g.barnraiseRoots.entries).toJSON();
			return performance.now() - start;
		});
	}
	await a.context.close();
	return { ...figures, openMs: percentile(runs, 50), plainDecodeMs };
}
