// A room measured, not computed: n devices (one browser context each) open
// one space at once, on today's sync or on sync v2 over the bounded mesh. Time from the invites opening to
// a post from the first device being on every board; the links each device
// holds; and the data-channel messages one small edit costs, summed from
// every device's getStats() ("data-channel" messagesSent) before and after
// the edit, with y-webrtc's presence renewals paused, beside the same sum over
// a quiet window of the same length (what the links send anyway: digests).
import { openDevice } from '../tests/support/harness.js';
import { createSpace, inviteLink, pickName } from '../tests/support/flows.js';
import { channelStats } from './join-traffic.js';

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} title */
async function addPost(page, title) {
	await page.evaluate((title) => {
		/** @type {any} */ (globalThis).barnraise.board.createPost({
			kind: 'need',
			title,
			details: '',
			category: 'shelter',
			quantity: null,
			unit: '',
			urgency: 'normal',
			locationText: '',
			contact: '',
			expiresAt: null
		});
	}, title);
}

/** @param {Page} page @param {string} title */
async function waitForPost(page, title) {
	await page.waitForFunction(
		(title) => {
			const g = /** @type {any} */ (globalThis);
			const posts = g.barnraise?.session?.doc.getMap(g.barnraiseRoots.posts);
			return [...(posts?.values() ?? [])].some((post) => post.get?.('title') === title);
		},
		title,
		{ timeout: 180_000, polling: 100 }
	);
}

/** Data-channel messages sent by every device so far. @param {Page[]} pages */
async function messagesSent(pages) {
	let total = 0;
	for (const page of pages) total += (await channelStats(page)).messagesSent;
	return total;
}

/** Open links of a page's device. @param {Page} page */
function linkCount(page) {
	return page.evaluate(
		() =>
			[
				.../** @type {any} */ (globalThis).barnraise.session.provider.room.webrtcConns.values()
			].filter((conn) => conn.connected).length
	);
}

/**
 * @param {import('playwright-core').Browser} browser @param {string} url @param {number} n
 */
export async function benchMeshRoom(browser, url, n) {
	const devices = [];
	try {
		const first = await openDevice(browser, url);
		devices.push(first);
		await pickName(first.page, 'Device 0');
		await createSpace(first.page, `Mesh room ${n}`);
		const link = await inviteLink(first.page);
		// One at a time: sixteen pages loading at once on two cores time out.
		const others = [];
		for (let i = 1; i < n; i++) {
			const device = await openDevice(browser, url);
			await pickName(device.page, `Device ${i}`);
			others.push(device);
		}
		devices.push(...others);
		const pages = devices.map((device) => device.page);
		const started = Date.now();
		await Promise.all(
			others.map(async (device) => {
				await device.page.goto(link);
				await device.page.getByRole('button', { name: 'Join space' }).click();
			})
		);
		const joinedMs = Date.now() - started;
		await addPost(first.page, 'First post');
		await Promise.all(pages.map((page) => waitForPost(page, 'First post')));
		const everyBoardMs = Date.now() - started;

		// y-webrtc renews presence every 15 s and relays every renewal to every
		// link, which would drown one edit's messages: pause it on every device,
		// let joins and their catching up settle, then count.
		for (const page of pages)
			await page.evaluate(() =>
				clearInterval(
					/** @type {any} */ (globalThis).barnraise.session.provider.awareness._checkInterval
				)
			);
		await first.page.waitForTimeout(5_000);
		const links = await Promise.all(pages.map(linkCount));
		const editStart = await messagesSent(pages);
		const editStarted = Date.now();
		await addPost(/** @type {Page} */ (pages.at(-1)), 'Small edit');
		await Promise.all(pages.map((page) => waitForPost(page, 'Small edit')));
		const editMs = Date.now() - editStarted;
		await first.page.waitForTimeout(1_500);
		const editEnd = await messagesSent(pages);
		const windowMs = Date.now() - editStarted;
		const quietStart = await messagesSent(pages);
		await first.page.waitForTimeout(windowMs);
		const quietEnd = await messagesSent(pages);
		return {
			n,
			everyBoardMs,
			joinedMs,
			editMs,
			linksMax: Math.max(...links),
			linksMin: Math.min(...links),
			linksMean: links.reduce((a, b) => a + b, 0) / n,
			messagesPerEdit: editEnd - editStart,
			quietMessages: quietEnd - quietStart,
			windowMs
		};
	} finally {
		for (const device of devices) await device.context.close();
	}
}
