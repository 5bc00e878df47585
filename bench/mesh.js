// How the live mesh grows: n devices open one space at once, one browser
// context (renderer process) each. Time until every device is linked to
// every other, and how long a new post takes to reach all the others (p50,
// p95). Messages per edit are counted by the room bench (mesh-room.js),
// from every device's getStats().
import { openDevice } from '../tests/support/harness.js';
import { createSpace, inviteLink, pickName, waitForPeers } from '../tests/support/flows.js';
import { collectArrivals, percentile, sendStampedPosts, watchArrivals } from './probes.js';

/**
 * @param {import('playwright-core').Browser} browser @param {string} url @param {number} n
 */
export async function benchMesh(browser, url, n) {
	const first = await openDevice(browser, url);
	await pickName(first.page, 'Device 0');
	await createSpace(first.page, `Mesh ${n}`);
	const link = await inviteLink(first.page);
	const others = await Promise.all(
		Array.from({ length: n - 1 }, async (_, i) => {
			const device = await openDevice(browser, url);
			await pickName(device.page, `Device ${i + 1}`);
			return device;
		})
	);
	const started = Date.now();
	await Promise.all(
		others.map(async (device) => {
			await device.page.goto(link);
			await device.page.getByRole('button', { name: 'Join space' }).click();
		})
	);
	const all = [first, ...others];
	await Promise.all(all.map((device) => waitForPeers(device.page, n - 1, 120_000)));
	const meshMs = Date.now() - started;
	for (const device of others) await watchArrivals(device.page);
	const rounds = 10;
	await sendStampedPosts(first.page, rounds, 100);
	/** @type {number[]} */
	const latencies = [];
	for (const device of others) latencies.push(...(await collectArrivals(device.page, rounds)));
	for (const device of all) await device.context.close();
	return {
		n,
		meshMs,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95)
	};
}
