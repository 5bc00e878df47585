// Reopening a space of `size` posts from IndexedDB: page load → first
// rendered board (the `barnraise:board-rendered` mark), median of 3 reloads.
// Baseline: plain Yjs encoding the same state and applying it to a fresh doc.
import { openDevice } from '../tests/support/harness.js';
import { createSpace, pickName, seedPosts } from '../tests/support/flows.js';
import { percentile, plainYjsRoundTrip } from './probes.js';

export async function benchOpenFromIndexedDb(
	/** @type {import('playwright-core').Browser} */ browser,
	/** @type {string} */ url,
	/** @type {number} */ size
) {
	const a = await openDevice(browser, url);
	await pickName(a.page, 'Ana');
	await createSpace(a.page, `Open ${size}`);
	await seedPosts(a.page, size);
	await a.page.waitForFunction(
		() =>
			document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved'
	);
	const runs = [];
	let plain = { ms: NaN, bytes: 0 };
	for (let i = 0; i < 3; i++) {
		await a.page.reload();
		const handle = await a.page.waitForFunction(
			(n) => {
				const mark = performance.getEntriesByName('barnraise:board-rendered')[0];
				const total = Number(
					document.querySelector('[data-testid="board-count"]')?.getAttribute('data-total')
				);
				return mark && total === n ? mark.startTime : null;
			},
			size,
			{ timeout: 60_000 }
		);
		runs.push(/** @type {number} */ (await handle.jsonValue()));
		plain = await plainYjsRoundTrip(a.page);
	}
	await a.context.close();
	return { size, renderedMs: percentile(runs, 50), plainMs: plain.ms, bytes: plain.bytes };
}
