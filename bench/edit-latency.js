// Edit propagation between two linked browsers: `edits` stamped posts made
// in A, 50 ms apart, and the time each takes to be observed in B (p50, p95).
// Baseline: plain Yjs encoding one such edit as an update and applying it to
// another doc in the page (median of 200).
import { openDevice } from '../tests/support/harness.js';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	waitForPeers
} from '../tests/support/flows.js';
import { collectArrivals, percentile, sendStampedPosts, watchArrivals } from './probes.js';

/**
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {number} edits
 */
export async function benchEditLatency(browser, url, edits) {
	const a = await openDevice(browser, url);
	await pickName(a.page, 'Ana');
	await createSpace(a.page, 'Latency');
	const b = await openDevice(browser, url);
	await joinByInvite(b.page, await inviteLink(a.page), 'Ben');
	await waitForPeers(a.page);
	await waitForPeers(b.page);
	await watchArrivals(b.page);
	await sendStampedPosts(a.page, edits, 50);
	const latencies = await collectArrivals(b.page, edits);
	// Plain Yjs: one such edit encoded as an update and applied to another doc, in-page.
	const plainMs = await a.page.evaluate(() => {
		const g = /** @type {any} */ (globalThis);
		const Y = g.barnraiseYjs;
		const source = new Y.Doc();
		const target = new Y.Doc();
		const times = [];
		for (let i = 0; i < 200; i++) {
			const start = performance.now();
			let update;
			source.once('update', (/** @type {Uint8Array} */ u) => (update = u));
			const post = new Y.Map();
			source.getMap(g.barnraiseRoots.posts).set(`p${i}`, post);
			post.set('title', `Edit ${i}`);
			Y.applyUpdate(target, update);
			times.push(performance.now() - start);
		}
		times.sort((x, y) => x - y);
		return /** @type {number} */ (times[100]);
	});
	await a.context.close();
	await b.context.close();
	return {
		edits: latencies.length,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		plainMs
	};
}
