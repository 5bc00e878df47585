// The measuring helpers the benchmarks share: plain-Yjs and raw-channel
// baselines run in the page, post-arrival probes, time to a view, the
// percentile every table reports, and the machine line at the top of a run.
// Each helper measures; none opens devices or prints.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { CHROMIUM_PATH } from '../tests/support/harness.js';

/** @typedef {import('playwright-core').Page} Page */

/**
 * Plain Yjs in the same page: encode the space's state and apply it to a
 * fresh doc (which must then hold something in the top-level map `root`,
 * a key of the app's ROOTS).
 * @param {Page} page @param {string} [root]
 */
export async function plainYjsRoundTrip(page, root = 'posts') {
	return page.evaluate((root) => {
		const g = /** @type {any} */ (globalThis);
		const Y = g.barnraiseYjs;
		const doc = g.barnraise.session.doc;
		const runs = [];
		let bytes = 0;
		for (let i = 0; i < 5; i++) {
			const start = performance.now();
			const update = Y.encodeStateAsUpdate(doc);
			const fresh = new Y.Doc();
			Y.applyUpdate(fresh, update);
			if (fresh.getMap(g.barnraiseRoots[root]).size === 0)
				throw new Error('plain Yjs applied nothing');
			runs.push(performance.now() - start);
			bytes = update.byteLength;
			fresh.destroy();
		}
		runs.sort((a, b) => a - b);
		return { ms: /** @type {number} */ (runs[2]), bytes };
	}, root);
}

/**
 * The bare channel, for reference: the same number of bytes through one raw
 * RTCDataChannel between two peer connections in the page, 16 KiB messages,
 * same back-pressure. Shows what the link itself costs on this machine.
 * @param {Page} page @param {number} bytes
 */
export async function rawChannelTransfer(page, bytes) {
	// Bounded and tried again: once a run sat idle for minutes, and this probe
	// (no watchdog, unlike the app's links) is the step that could wait for ever.
	for (let attempt = 1; ; attempt++) {
		try {
			return await rawChannelOnce(page, bytes);
		} catch (error) {
			if (attempt >= 3) throw error;
			console.warn(`raw channel probe, attempt ${attempt}: ${String(error)}; trying again`);
		}
	}
}

/** How long one raw transfer may take before it is tried again. */
const RAW_PROBE_TIMEOUT_MS = Number(process.env.BENCH_RAW_TIMEOUT_MS ?? 60_000);

/** One raw transfer; rejects, saying how far it got, after RAW_PROBE_TIMEOUT_MS. @param {Page} page @param {number} bytes */
async function rawChannelOnce(page, bytes) {
	return page.evaluate(
		async ({ total, timeoutMs }) => {
			const a = new RTCPeerConnection({ iceServers: [] });
			const b = new RTCPeerConnection({ iceServers: [] });
			a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
			b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
			const channel = a.createDataChannel('bench');
			let step = 'negotiating';
			/** @type {(error: Error) => void} */
			let fail = () => {};
			/** @type {Promise<never>} */
			const timedOut = new Promise((_, reject) => (fail = reject));
			const timer = setTimeout(() => {
				const ice = `${a.iceConnectionState}/${b.iceConnectionState}`;
				a.close();
				b.close();
				fail(new Error(`raw channel stuck ${step} after ${timeoutMs} ms (ice ${ice})`));
			}, timeoutMs);
			// Listened for from the start: on loopback it can open before the offers are done.
			const opened = new Promise((resolve) => (channel.onopen = resolve));
			/** @type {Promise<number>} */
			const received = new Promise((resolve) => {
				b.ondatachannel = (event) => {
					let count = 0;
					event.channel.binaryType = 'arraybuffer';
					event.channel.onmessage = (message) => {
						count += message.data.byteLength;
						if (count >= total) resolve(performance.now());
					};
				};
			});
			await a.setLocalDescription();
			await b.setRemoteDescription(/** @type {RTCSessionDescription} */ (a.localDescription));
			await b.setLocalDescription();
			await a.setRemoteDescription(/** @type {RTCSessionDescription} */ (b.localDescription));
			step = 'opening';
			await Promise.race([opened, timedOut]);
			step = 'sending';
			const start = performance.now();
			const chunk = new Uint8Array(16 * 1024);
			let sent = 0;
			channel.bufferedAmountLowThreshold = 1024 * 1024;
			const pumped = new Promise((resolve) => {
				const pump = () => {
					while (sent < total && channel.bufferedAmount < 4 * 1024 * 1024) {
						channel.send(chunk);
						sent += chunk.byteLength;
					}
					if (sent >= total) resolve(undefined);
				};
				channel.onbufferedamountlow = pump;
				pump();
			});
			await Promise.race([pumped, timedOut]);
			step = 'receiving';
			const end = await Promise.race([received, timedOut]);
			clearTimeout(timer);
			a.close();
			b.close();
			return /** @type {number} */ (end) - start;
		},
		{ total: bytes, timeoutMs: RAW_PROBE_TIMEOUT_MS }
	);
}

/** A duration for the tables. @param {number} ms */
export const fmt = (ms) =>
	ms < 1
		? `${(ms * 1000).toFixed(0)} µs`
		: ms >= 1000
			? `${(ms / 1000).toFixed(2)} s`
			: `${ms.toFixed(1)} ms`;

/** @param {number[]} values @param {number} p */
export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Latency probes shared by the edit and mesh benchmarks: receivers note when
 * each new post arrives; the sender stamps posts with the time they were
 * made (pages of one browser share a clock through performance.timeOrigin).
 * @param {Page} page
 */
export async function watchArrivals(page) {
	await page.evaluate(() => {
		const g = /** @type {any} */ (globalThis);
		g.arrivals = [];
		g.barnraise.session.doc.getMap(g.barnraiseRoots.posts).observe((/** @type {any} */ event) => {
			const now = performance.timeOrigin + performance.now();
			for (const key of event.keysChanged) {
				const sent = Number(event.target.get(key)?.get('details'));
				if (sent) g.arrivals.push(now - sent);
			}
		});
	});
}

/** @param {Page} page @param {number} count @param {number} gapMs */
export async function sendStampedPosts(page, count, gapMs) {
	for (let i = 0; i < count; i++) {
		await page.evaluate((n) => {
			const g = /** @type {any} */ (globalThis);
			g.barnraise.board.createPost({
				kind: 'need',
				title: `Stamped ${n}`,
				details: String(performance.timeOrigin + performance.now()),
				category: '',
				quantity: null,
				unit: '',
				urgency: 'normal',
				locationText: '',
				contact: '',
				expiresAt: null
			});
		}, i);
		await page.waitForTimeout(gapMs);
	}
}

/** @param {Page} page @param {number} count @returns {Promise<number[]>} */
export async function collectArrivals(page, count) {
	await page.waitForFunction((n) => /** @type {any} */ (globalThis).arrivals.length >= n, count, {
		timeout: 30_000
	});
	return page.evaluate(() => /** @type {any} */ (globalThis).arrivals);
}

/**
 * Page load → a view is on screen, in ms since navigation: `ready` runs in
 * the page every frame (given `arg`) and returns performance.now() once the
 * view is there.
 * @param {Page} page @param {string} url
 * @param {(arg: number | null) => number | null} ready @param {number | null} arg
 */
export async function timeToView(page, url, ready, arg) {
	await page.goto(url);
	const handle = await page.waitForFunction(ready, arg, { timeout: 120_000, polling: 'raf' });
	return /** @type {number} */ (await handle.jsonValue());
}

/** The machine line printed at the top of a run and kept in latest.json. */
export function machine() {
	let chromium = 'unknown';
	try {
		chromium = execFileSync(CHROMIUM_PATH, ['--version'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
	} catch {
		// reported as unknown
	}
	return {
		cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
		memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
		node: process.version,
		chromium
	};
}

/**
 * What this device keeps in IndexedDB for the open space, beside the size of
 * its merged state (plain Yjs's encoding of the doc): every database whose
 * name holds the space's id, every record's bytes summed (binary values by
 * their length, text by its length, keys included). Read once the device's
 * writes have settled: `saved` in the page's save status.
 * @param {Page} page
 */
export async function storedBytes(page) {
	await page.waitForFunction(
		() =>
			document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved',
		null,
		{ timeout: 120_000 }
	);
	return page.evaluate(async () => {
		const g = /** @type {any} */ (globalThis);
		const session = g.barnraise.session;
		const state = g.barnraiseYjs.encodeStateAsUpdate(session.doc).byteLength;
		/** @param {unknown} value @returns {number} */
		const size = (value) => {
			if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength;
			if (typeof value === 'string') return value.length;
			if (typeof value === 'number' || typeof value === 'boolean') return 8;
			if (Array.isArray(value)) return value.reduce((sum, item) => sum + size(item), 0);
			if (value && typeof value === 'object')
				return Object.entries(value).reduce((sum, [key, item]) => sum + key.length + size(item), 0);
			return 0;
		};
		/** @type {Record<string, number>} */
		const byDatabase = {};
		for (const { name } of await indexedDB.databases()) {
			if (!name || !name.includes(session.spaceId)) continue;
			const db = await new Promise((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			let bytes = 0;
			for (const store of db.objectStoreNames) {
				bytes += await new Promise((resolve, reject) => {
					let sum = 0;
					const cursor = db.transaction(store).objectStore(store).openCursor();
					cursor.onsuccess = () => {
						const at = cursor.result;
						if (!at) return resolve(sum);
						sum += size(at.key) + size(at.value);
						at.continue();
					};
					cursor.onerror = () => reject(cursor.error);
				});
			}
			db.close();
			byDatabase[name] = bytes;
		}
		const stored = Object.values(byDatabase).reduce((sum, bytes) => sum + bytes, 0);
		return { state, stored, byDatabase };
	});
}
