// What a fresh device moves to join a space that 1, 3 or 6 devices hold, over
// real WebRTC between browser contexts on loopback: data-channel bytes and
// messages it received and sent, summed from every one of its peer
// connections' getStats() ("data-channel" reports), as multiples of the
// space's state as plain Yjs encodes it, and the time from the invite
// opening to every post shown.
import { openDevice } from '../tests/support/harness.js';
import {
	boardTotal,
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	waitForPeers
} from '../tests/support/flows.js';

/** @typedef {import('playwright-core').Page} Page */

/** Posts per transaction: v2 keeps one transaction's change as one entry of at most 8 MiB. */
const SEED_CHUNK = 1000;

/** `count` posts, SEED_CHUNK to a transaction (fast-join.js seeds the same way). @param {Page} page @param {number} count */
export async function seedPostsInChunks(page, count) {
	for (let from = 0; from < count; from += SEED_CHUNK)
		await page.evaluate(
			({ from, to }) => {
				const model = /** @type {any} */ (globalThis).barnraise;
				model.session.doc.transact(() => {
					for (let i = from; i < to; i++)
						model.board.createPost({
							kind: i % 3 === 0 ? 'offer' : 'need',
							title: `Seeded post ${i}`,
							details: `Details for seeded post number ${i}, with a little text like a real post has.`,
							category: 'food',
							quantity: i % 50,
							unit: 'boxes',
							urgency: 'normal',
							locationText: `Block ${i % 40}`,
							contact: '',
							expiresAt: null
						});
				});
			},
			{ from, to: Math.min(count, from + SEED_CHUNK) }
		);
}

/** @param {Page} page @param {number} count */
async function waitForBoard(page, count) {
	await page.waitForFunction(
		(n) =>
			Number(document.querySelector('[data-testid="board-count"]')?.getAttribute('data-total')) ===
			n,
		count,
		{ timeout: 300_000, polling: 100 }
	);
}

/** Data-channel bytes and messages over all of this page's mesh links. @param {Page} page */
export function channelStats(page) {
	return page.evaluate(async () => {
		const session = /** @type {any} */ (globalThis).barnraise.session;
		const total = { bytesReceived: 0, bytesSent: 0, messagesReceived: 0, messagesSent: 0 };
		for (const conn of session.provider.room.webrtcConns.values()) {
			const stats = await conn.peer._pc.getStats();
			stats.forEach((/** @type {any} */ report) => {
				if (report.type !== 'data-channel') return;
				total.bytesReceived += report.bytesReceived ?? 0;
				total.bytesSent += report.bytesSent ?? 0;
				total.messagesReceived += report.messagesReceived ?? 0;
				total.messagesSent += report.messagesSent ?? 0;
			});
		}
		return total;
	});
}

/**
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {{ posts: number, holders: number }} options
 */
export async function benchJoinTraffic(browser, url, { posts, holders }) {
	const devices = [];
	try {
		const first = await openDevice(browser, url);
		devices.push(first);
		await pickName(first.page, 'Holder 0');
		await createSpace(first.page, `Join traffic ${posts}`);
		await seedPostsInChunks(first.page, posts);
		await waitForBoard(first.page, posts);
		const link = await inviteLink(first.page);
		for (let i = 1; i < holders; i++) {
			const holder = await openDevice(browser, url);
			devices.push(holder);
			await joinByInvite(holder.page, link, `Holder ${i}`);
			await waitForBoard(holder.page, posts);
		}
		for (const holder of devices) await waitForPeers(holder.page, holders - 1, 60_000);
		const stateBytes = await first.page.evaluate(() => {
			const g = /** @type {any} */ (globalThis);
			return g.barnraiseYjs.encodeStateAsUpdate(g.barnraise.session.doc).length;
		});

		const joiner = await openDevice(browser, url);
		devices.push(joiner);
		const started = Date.now();
		await joinByInvite(joiner.page, link, 'Newcomer');
		await waitForBoard(joiner.page, posts);
		const joinMs = Date.now() - started;
		await waitForPeers(joiner.page, holders, 60_000);
		// Let what was sent on arrival settle before counting.
		await joiner.page.waitForTimeout(2000);
		const stats = await channelStats(joiner.page);
		if ((await boardTotal(joiner.page)) !== posts) throw new Error('the newcomer lost posts');
		return { posts, holders, stateBytes, joinMs, ...stats };
	} finally {
		for (const device of devices) await device.context.close();
	}
}
