// Fresh joins under sync v2 (#14, "Fast joins"), over
// real WebRTC between two browser contexts on loopback, for three spaces:
// `posts` posts; `ledger` supply entries plus 2,000 posts; a picture base
// map of `mapBytes` (with 2,000 assets, as bench/assets.js). Timed in the
// joining page: from its first peer link to the content being there (every
// post on the board, every ledger entry in the doc, the picture's bytes).
// Baselines from the same run: plain Yjs encode+apply of the space's state
// in the holder's page, and the same bytes (the picture's, for the map)
// through one raw RTCDataChannel.
//
// Seeded in transactions of SEED_CHUNK records: v2 keeps one transaction's
// change as one entry of at most 8 MiB, and a bulk import makes entries of
// about this size.
import { openDevice } from '../tests/support/harness.js';
import { createSpace, inviteLink, pickName } from '../tests/support/flows.js';
import { seedPostsInChunks } from './join-traffic.js';
import { plainYjsRoundTrip, rawChannelTransfer, storedBytes } from './probes.js';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {'posts' | 'ledger' | 'map'} Shape */

const SEED_CHUNK = 1000;
const LEDGER_CHUNK = 5000;
const MAP_ID = 'bench-map-000001';

/** 20 sites, 200 items and `count` entries, as bench/ledger.js. @param {Page} page @param {number} count */
async function seedLedger(page, count) {
	await page.evaluate(() => {
		const g = /** @type {any} */ (globalThis);
		const supplies = g.barnraise.supplies;
		g.benchSites = Array.from({ length: 20 }, (_, i) =>
			supplies.addSite({
				name: `Site ${i}`,
				kind: 'distribution',
				locationText: '',
				point: null,
				notes: ''
			})
		);
		g.benchItems = Array.from({ length: 200 }, (_, i) =>
			supplies.addItem({ name: `Item ${i}`, unit: 'box', category: 'food' })
		);
	});
	for (let from = 0; from < count; from += LEDGER_CHUNK)
		await page.evaluate(
			({ from, to }) => {
				const g = /** @type {any} */ (globalThis);
				const kinds = ['received', 'distributed', 'distributed', 'damaged', 'count'];
				g.barnraise.session.doc.transact(() => {
					for (let i = from; i < to; i++)
						g.barnraise.supplies.record({
							kind: kinds[i % kinds.length],
							site: g.benchSites[i % g.benchSites.length],
							item: g.benchItems[(i * 7) % g.benchItems.length],
							quantity: 1 + (i % 40),
							households: null
						});
				});
			},
			{ from, to: Math.min(count, from + LEDGER_CHUNK) }
		);
}

/** A picture of `bytes` incompressible bytes (as a JPEG is) and `assets` assets pinned on it. @param {Page} page */
async function seedMap(page, /** @type {number} */ bytes, /** @type {number} */ assets) {
	await page.evaluate(
		({ bytes, mapId }) => {
			const g = /** @type {any} */ (globalThis);
			const doc = g.barnraise.session.doc;
			const image = new Uint8Array(bytes);
			for (let i = 0; i < image.length; i += 65536)
				crypto.getRandomValues(image.subarray(i, Math.min(image.length, i + 65536)));
			doc.transact(() => {
				doc.getMap(g.barnraiseRoots.baseMapImages).set(mapId, image);
				doc.getMap(g.barnraiseRoots.baseMaps).set(mapId, {
					name: 'Bench sketch',
					width: 2400,
					height: 1800,
					mime: 'image/jpeg',
					createdBy: g.barnraise.memberId,
					createdAt: Date.now()
				});
			});
		},
		{ bytes, mapId: MAP_ID }
	);
	for (let from = 0; from < assets; from += SEED_CHUNK)
		await page.evaluate(
			({ from, to, mapId }) => {
				const g = /** @type {any} */ (globalThis);
				const kinds = ['skill', 'association', 'institution', 'place', 'equipment'];
				g.barnraise.session.doc.transact(() => {
					for (let i = from; i < to; i++)
						g.barnraise.assets.add({
							kind: kinds[i % kinds.length],
							name: `Asset ${i}`,
							description: 'Benchmark asset',
							tags: [`tag ${i % 25}`],
							availability: 'weekends',
							contact: '',
							locationText: '',
							place: { kind: 'image', map: mapId, x: (i * 37) % 2400, y: (i * 53) % 1800 }
						});
				});
			},
			{ from, to: Math.min(assets, from + SEED_CHUNK), mapId: MAP_ID }
		);
}

/**
 * Sample the page's JavaScript (CDP Profiler) until the returned function is
 * called; it gives the functions that took the most time themselves.
 * @param {Page} page
 */
export async function startProfile(page) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	return async () => {
		const { profile } = await cdp.send('Profiler.stop');
		const interval = (profile.endTime - profile.startTime) / 1000 / (profile.samples?.length ?? 1);
		/** @param {any} frame */
		const name = (frame) =>
			`${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
		/** @type {Map<number, any>} */
		const byId = new Map(profile.nodes.map((/** @type {any} */ node) => [node.id, node]));
		/** @type {Map<number, number>} */
		const parentOf = new Map();
		for (const node of profile.nodes)
			for (const child of node.children ?? []) parentOf.set(child, node.id);
		/** @type {Map<string, number>} */
		const self = new Map();
		/** @type {Map<string, number>} */
		const total = new Map();
		for (const node of profile.nodes) {
			const ms = (node.hitCount ?? 0) * interval;
			if (ms === 0) continue;
			self.set(name(node.callFrame), (self.get(name(node.callFrame)) ?? 0) + ms);
			// Time counted once per function on the stack (recursion is not counted twice).
			const seen = new Set();
			for (
				let /** @type {number | undefined} */ id = node.id;
				id !== undefined;
				id = parentOf.get(id)
			) {
				const key = name(byId.get(id).callFrame);
				if (seen.has(key)) continue;
				seen.add(key);
				total.set(key, (total.get(key) ?? 0) + ms);
			}
		}
		const top = (/** @type {Map<string, number>} */ map, /** @type {number} */ n) =>
			[...map]
				.sort((a, b) => b[1] - a[1])
				.slice(0, n)
				.map(([where, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${where}`);
		return ['self:', ...top(self, 25), 'total:', ...top(total, 60)];
	};
}

/** The middle value. @param {number[]} values */
const median = (values) =>
	/** @type {number} */ ([...values].sort((a, b) => a - b)[values.length >> 1]);

/**
 * Fresh joins of one space: `repeat` fresh devices, one after another, each
 * joining the same holder (the figures move from run to run on a shared
 * machine: the median is reported, and the spread beside it).
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {{ shape: Shape, posts: number, ledger?: number, mapBytes?: number, repeat?: number, profile?: boolean, trace?: (joiner: Page, holder: Page) => Promise<(() => Promise<void>) | void> }} options
 */
export async function benchFastJoin(browser, url, options) {
	const { shape, posts } = options;
	const repeat = Math.max(1, options.repeat ?? 1);
	const ledger = options.ledger ?? 0;
	const mapBytes = options.mapBytes ?? 0;
	const devices = [];
	try {
		const holder = await openDevice(browser, url, { viewport: { width: 1280, height: 900 } });
		devices.push(holder);
		await pickName(holder.page, 'Ana');
		await createSpace(holder.page, `Join ${shape}`);
		if (shape === 'ledger') await seedLedger(holder.page, ledger);
		if (shape === 'map') await seedMap(holder.page, mapBytes, posts);
		else await seedPostsInChunks(holder.page, posts);
		await holder.page.waitForFunction(
			() =>
				document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') ===
				'saved',
			null,
			{ timeout: 120_000 }
		);
		const plain = await plainYjsRoundTrip(
			holder.page,
			shape === 'map' ? 'baseMapImages' : shape === 'ledger' ? 'entries' : 'posts'
		);
		const raws = [];
		for (let i = 0; i < repeat; i++)
			raws.push(await rawChannelTransfer(holder.page, shape === 'map' ? mapBytes : plain.bytes));
		// The holder signs its changes into its log a moment after they are saved:
		// join only once its log has stopped growing, or the join waits for it.
		let entries = -1;
		for (let still = 0; still < 3;) {
			await holder.page.waitForTimeout(500);
			const now = await holder.page.evaluate(() => {
				const signed = /** @type {any} */ (globalThis).barnraise.session.signed;
				return signed.engine.lengthOf(signed.log.author);
			});
			still = now === entries ? still + 1 : 0;
			entries = now;
		}
		const link = await inviteLink(holder.page);

		const joins = [];
		/** @type {string[] | undefined} */
		let profile;
		/** @type {Awaited<ReturnType<typeof storedBytes>> | undefined} */
		let joinerStored;
		for (let run = 0; run < repeat; run++) {
			const joined = await joinOnce(browser, url, link, holder.page, {
				...options,
				// What the last fresh device keeps once its join is written.
				storage: run === repeat - 1,
				// BENCH_PROFILE_RUN: which join to profile (the first is often slower).
				profile: options.profile && run === Number(process.env.BENCH_PROFILE_RUN ?? 0),
				want: { shape, posts, ledger, mapBytes, mapId: MAP_ID }
			});
			joins.push(joined.ms);
			profile ??= joined.profile;
			joinerStored ??= joined.stored;
		}
		const holderStored = await storedBytes(holder.page);
		return {
			holderStored,
			joinerStored,
			profile,
			shape,
			posts,
			ledger,
			mapBytes,
			entries,
			stateBytes: plain.bytes,
			joinMs: median(joins),
			joins,
			plainMs: plain.ms,
			rawMs: median(raws)
		};
	} finally {
		for (const device of devices) await device.context.close();
	}
}

/**
 * One fresh device joins through `link`; the time from its first link to
 * everything being there, in its own page.
 * @param {import('playwright-core').Browser} browser @param {string} url @param {string} link @param {Page} holder
 * @param {{ shape: Shape, profile?: boolean, storage?: boolean, trace?: (joiner: Page, holder: Page) => Promise<(() => Promise<void>) | void>, want: { shape: Shape, posts: number, ledger: number, mapBytes: number, mapId: string } }} options
 */
async function joinOnce(browser, url, link, holder, options) {
	const { shape } = options;
	const joiner = await openDevice(browser, url, { viewport: { width: 1280, height: 900 } });
	try {
		await pickName(joiner.page, 'Cleo');
		await joiner.page.goto(link);
		const profiler = options.profile ? await startProfile(joiner.page) : null;
		// A trace may hand back what to do once the join is done (both pages still open).
		const traced = options.trace ? await options.trace(joiner.page, holder) : undefined;
		await joiner.page.getByRole('button', { name: 'Join space' }).click();
		// Both instants are taken in the joining page, polled every 10 ms.
		const handle = await joiner.page
			.waitForFunction(
				(want) => {
					const g = /** @type {any} */ (globalThis);
					const peers = Number(
						document.querySelector('[data-testid="peer-count"]')?.getAttribute('data-peers')
					);
					if (peers >= 1 && g.benchLinkedAt === undefined) g.benchLinkedAt = performance.now();
					const doc = g.barnraise?.session?.doc;
					if (g.benchLinkedAt === undefined || !doc) return null;
					if (want.shape === 'map') {
						const image = doc.getMap(g.barnraiseRoots.baseMapImages).get(want.mapId);
						if (!(image instanceof Uint8Array) || image.byteLength !== want.mapBytes) return null;
					} else {
						const shown = document
							.querySelector('[data-testid="board-count"]')
							?.getAttribute('data-total');
						if (Number(shown) !== want.posts) return null;
						if (
							want.shape === 'ledger' &&
							doc.getMap(g.barnraiseRoots.entries).size !== want.ledger
						)
							return null;
					}
					return { linkedAt: g.benchLinkedAt, doneAt: performance.now() };
				},
				options.want,
				{ timeout: 600_000, polling: 10 }
			)
			.catch(async (/** @type {Error} */ error) => {
				// Say how far it got: a join that never ends is a finding, not a crash of the run.
				const state = await joiner.page.evaluate(() => ({
					peers: document.querySelector('[data-testid="peer-count"]')?.getAttribute('data-peers'),
					shown: document.querySelector('[data-testid="board-count"]')?.getAttribute('data-total'),
					page: location.pathname,
					text: document.body.innerText.slice(0, 200)
				}));
				throw new Error(`${shape} join did not finish: ${JSON.stringify(state)}`, {
					cause: error
				});
			});
		const { linkedAt, doneAt } = /** @type {{ linkedAt: number, doneAt: number }} */ (
			await handle.jsonValue()
		);
		const profile = profiler ? await profiler() : undefined;
		if (traced) await traced();
		const stored = options.storage ? await storedBytes(joiner.page) : undefined;
		return { ms: doneAt - linkedAt, profile, stored };
	} finally {
		await joiner.context.close();
	}
}

/**
 * Every case under today's sync and v2, one after the other in one browser.
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {{ sizes: number[], ledger: number, ledgerPosts: number, mapBytes: number, assets: number, repeat: number }} sizes
 */
export async function benchFastJoins(
	browser,
	url,
	{ sizes, ledger, ledgerPosts, mapBytes, assets, repeat }
) {
	const cases = [
		...sizes.map((posts) => ({ shape: /** @type {Shape} */ ('posts'), posts })),
		{ shape: /** @type {Shape} */ ('ledger'), posts: ledgerPosts, ledger },
		{ shape: /** @type {Shape} */ ('map'), posts: assets, mapBytes }
	];
	const rows = [];
	for (const one of cases)
		rows.push(
			await benchFastJoin(browser, url, {
				...one,
				// BENCH_PROFILE=1: where the joining page spent its time, per join.
				profile: Boolean(process.env.BENCH_PROFILE),
				repeat
			})
		);
	return rows;
}

/** @param {Awaited<ReturnType<typeof benchFastJoins>>} rows @param {(ms: number) => string} fmt */
export function printFastJoins(rows, fmt) {
	for (const row of rows)
		if (row.profile) console.log(`\nJoiner's profile, ${row.shape}:\n${row.profile.join('\n')}`);
	console.log(
		'\nFast joins: a fresh device joins one holder, first link → everything there (timed in the joining page)'
	);
	console.table(
		rows.map((row) => ({
			space:
				row.shape === 'posts'
					? `${row.posts} posts`
					: row.shape === 'ledger'
						? `${row.ledger} ledger + ${row.posts} posts`
						: `${(row.mapBytes / 1024 / 1024).toFixed(1)} MiB map + ${row.posts} assets`,
			entries: row.entries,
			state: `${(row.stateBytes / 1024).toFixed(0)} KiB`,
			'join (median)': fmt(row.joinMs),
			joins: row.joins.map((ms) => (ms / 1000).toFixed(2)).join(' '),
			'plain Yjs encode+apply': fmt(row.plainMs),
			'÷ plain Yjs': `${(row.joinMs / row.plainMs).toFixed(1)}×`,
			'raw channel': fmt(row.rawMs),
			'÷ raw channel': `${(row.joinMs / row.rawMs).toFixed(1)}×`
		}))
	);
	console.log(
		'\nKept in IndexedDB (the doc and the signed logs) ÷ the merged state (plain Yjs encoding), after the joins'
	);
	console.table(
		rows.map((row) => ({
			space: row.shape === 'posts' ? `${row.posts} posts` : row.shape,
			state: `${(row.holderStored.state / 1024).toFixed(0)} KiB`,
			holder: storedRatio(row.holderStored),
			'last fresh device': row.joinerStored ? storedRatio(row.joinerStored) : '—'
		}))
	);
}

/**
 * Kept ÷ state, and its two parts: the doc (y-indexeddb's database) and the signed logs.
 * @param {Awaited<ReturnType<typeof storedBytes>>} stored
 */
function storedRatio({ state, stored, byDatabase }) {
	const doc = Object.entries(byDatabase)
		.filter(([name]) => name.startsWith('barnraise-space-'))
		.reduce((sum, [, bytes]) => sum + bytes, 0);
	const ratio = (/** @type {number} */ bytes) => (bytes / state).toFixed(2);
	return `${ratio(stored)}× (doc ${ratio(doc)}, logs ${ratio(stored - doc)})`;
}

/** The sizes, from the same BENCH_* variables as the rest of `npm run bench`. */
export function fastJoinSizes() {
	return {
		sizes: (process.env.BENCH_SIZES ?? '1000,10000,20000').split(',').map(Number),
		ledger: Number(process.env.BENCH_LEDGER_ENTRIES ?? 50_000),
		ledgerPosts: Number(process.env.BENCH_LEDGER_POSTS ?? 2000),
		mapBytes: Number(process.env.BENCH_BASE_MAP_BYTES ?? 2 * 1024 * 1024),
		assets: Number(process.env.BENCH_ASSETS ?? 2000),
		// Fresh devices joining each space, one after another.
		repeat: Number(process.env.BENCH_JOIN_REPEAT ?? 3)
	};
}
