// A fresh device joins a space of `size` posts by its invite link, over real
// WebRTC between two browser contexts on loopback: time from opening the
// link to every post on the board, and from the first peer link to the same.
// Baselines: plain Yjs encoding the space's state and applying it to a fresh
// doc in the page, and the same bytes through one raw RTCDataChannel.
import { openDevice } from '../tests/support/harness.js';
import {
	boardTotal,
	createSpace,
	inviteLink,
	pickName,
	seedPosts,
	waitForPeers
} from '../tests/support/flows.js';
import { plainYjsRoundTrip, rawChannelTransfer } from './probes.js';

export async function benchFreshJoin(
	/** @type {import('playwright-core').Browser} */ browser,
	/** @type {string} */ url,
	/** @type {number} */ size
) {
	const a = await openDevice(browser, url);
	await pickName(a.page, 'Ana');
	await createSpace(a.page, `Sync ${size}`);
	await seedPosts(a.page, size);
	while ((await boardTotal(a.page)) !== size) await a.page.waitForTimeout(100);
	const plain = await plainYjsRoundTrip(a.page);
	const rawMs = await rawChannelTransfer(a.page, plain.bytes);
	const link = await inviteLink(a.page);

	const c = await openDevice(browser, url);
	await pickName(c.page, 'Cleo');
	const started = Date.now();
	await c.page.goto(link);
	await c.page.getByRole('button', { name: 'Join space' }).click();
	await waitForPeers(c.page, 1, 60_000);
	const linked = Date.now();
	await c.page.waitForFunction(
		(n) =>
			Number(document.querySelector('[data-testid="board-count"]')?.getAttribute('data-total')) ===
			n,
		size,
		{ timeout: 180_000, polling: 20 }
	);
	const done = Date.now();
	await a.context.close();
	await c.context.close();
	return {
		size,
		totalMs: done - started,
		afterLinkMs: done - linked,
		plainMs: plain.ms,
		rawMs,
		bytes: plain.bytes
	};
}
