// `npm run bench`: Barnraise's sync and load figures in real Chromium, each
// beside plain Yjs doing the same work in the same run. Prints a table and
// writes bench/results/latest.json. Not part of `npm test`: no timing is
// asserted, the figures are for people to read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchBrowser, openDevice, startServer } from '../tests/support/harness.js';
import {
	boardTotal,
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	seedPosts,
	waitForPeers
} from '../tests/support/flows.js';
import {
	collectArrivals,
	machine,
	percentile,
	plainYjsRoundTrip,
	rawChannelTransfer,
	sendStampedPosts,
	timeToView,
	watchArrivals
} from './probes.js';

const SYNC_SIZES = (process.env.BENCH_SIZES ?? '1000,10000,20000').split(',').map(Number);
const OPEN_SIZE = Number(process.env.BENCH_OPEN_SIZE ?? 10_000);
const EDITS = Number(process.env.BENCH_EDITS ?? 60);
const LEDGER_ENTRIES = Number(process.env.BENCH_LEDGER_ENTRIES ?? 50_000);
const MESH_SIZES = (process.env.BENCH_MESH ?? '2,4,6,8').split(',').map(Number);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 2000);
const BASE_MAP_BYTES = Number(process.env.BENCH_BASE_MAP_BYTES ?? 2 * 1024 * 1024);

const fmt = (/** @type {number} */ ms) =>
	ms < 1
		? `${(ms * 1000).toFixed(0)} µs`
		: ms >= 1000
			? `${(ms / 1000).toFixed(2)} s`
			: `${ms.toFixed(1)} ms`;

async function benchFreshPeerSync(
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

async function benchOpenFromIndexedDb(
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

async function benchEditLatency(
	/** @type {import('playwright-core').Browser} */ browser,
	/** @type {string} */ url
) {
	const a = await openDevice(browser, url);
	await pickName(a.page, 'Ana');
	await createSpace(a.page, 'Latency');
	const b = await openDevice(browser, url);
	await joinByInvite(b.page, await inviteLink(a.page), 'Ben');
	await waitForPeers(a.page);
	await waitForPeers(b.page);
	await watchArrivals(b.page);
	await sendStampedPosts(a.page, EDITS, 50);
	const latencies = await collectArrivals(b.page, EDITS);
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

/**
 * The supply log: 50,000 entries over 20 sites and 200 items. Full fold and
 * one incremental entry, beside plain Yjs reading the same entries; then a
 * reload to the stock view, beside plain Yjs decoding the same state.
 * @param {import('playwright-core').Browser} browser @param {string} url
 */
async function benchLedger(browser, url) {
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
			Book.from(entries);
			fold.push(performance.now() - start);
		}
		const book = Book.from(entries);
		const incremental = [];
		for (let i = 0; i < 200; i++) {
			const entry = {
				...entries[i],
				id: `bench-extra-${String(i).padStart(6, '0')}`,
				recordedAt: Date.now() + i
			};
			const start = performance.now();
			book.add([entry]);
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
	}, LEDGER_ENTRIES);
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

/**
 * How the live mesh grows: n devices open one space at once (one browser
 * context each, so one renderer process each). Time until every device is
 * linked to every other, and how long one new post takes to reach all the
 * others — beside the n·(n−1) sends y-webrtc's flooding costs per edit.
 * @param {import('playwright-core').Browser} browser @param {string} url @param {number} n
 */
async function benchMesh(browser, url, n) {
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
		p95: percentile(latencies, 95),
		sendsPerEdit: n * (n - 1)
	};
}

/**
 * The asset map: ASSETS assets (half with a point on the earth, half pinned
 * on a picture base map of BASE_MAP_BYTES), then page load → list, → picture
 * map with its pins, → geographic map (MapLibre) with its pins; and how long
 * the picture takes to reach a device that joins fresh.
 * @param {import('playwright-core').Browser} browser @param {string} url
 */
async function benchAssets(browser, url) {
	const viewport = { width: 1280, height: 900 };
	const a = await openDevice(browser, url, { viewport });
	await pickName(a.page, 'Ana');
	await createSpace(a.page, 'Assets');
	await a.page.evaluate(
		({ count, imageBytes }) => {
			const g = /** @type {any} */ (globalThis);
			const doc = g.barnraise.session.doc;
			const assets = g.barnraise.assets;
			// Incompressible bytes, as a JPEG is; stored the way addBaseMap stores a picture.
			const image = new Uint8Array(imageBytes);
			for (let i = 0; i < image.length; i += 65536)
				crypto.getRandomValues(image.subarray(i, Math.min(image.length, i + 65536)));
			const mapId = 'bench-map-000001';
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
				const kinds = ['skill', 'association', 'institution', 'place', 'equipment'];
				for (let i = 0; i < count; i++) {
					const onEarth = i % 2 === 0;
					assets.add({
						kind: kinds[i % kinds.length],
						name: `Asset ${i}`,
						description: 'Benchmark asset',
						tags: [`tag ${i % 25}`],
						availability: 'weekends',
						contact: '',
						locationText: '',
						place: onEarth
							? {
									kind: 'geo',
									lat: 25.76 + ((i * 7919) % 1000) / 20000,
									lon: -80.2 + ((i * 104729) % 1000) / 20000,
									source: 'map'
								}
							: { kind: 'image', map: mapId, x: (i * 37) % 2400, y: (i * 53) % 1800 }
					});
				}
			});
		},
		{ count: ASSETS, imageBytes: BASE_MAP_BYTES }
	);
	await a.page.waitForFunction(
		() =>
			document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved',
		null,
		{ timeout: 60_000 }
	);
	const spaceUrl = a.page.url().replace(/\/$/, '');
	const listMs = [];
	const imageMapMs = [];
	const geoMapMs = [];
	for (let i = 0; i < 3; i++) {
		listMs.push(
			await timeToView(a.page, `${spaceUrl}/assets`, () =>
				(document.querySelector('[data-testid="asset-list"]')?.children.length ?? 0) > 1000
					? performance.now()
					: null
			)
		);
		imageMapMs.push(
			await timeToView(a.page, `${spaceUrl}/assets/map`, () =>
				document.querySelector('[data-testid="image-map"] img') instanceof HTMLImageElement &&
				/** @type {HTMLImageElement} */ (document.querySelector('[data-testid="image-map"] img'))
					.complete &&
				document.querySelectorAll('[data-testid="map-pin"], [data-testid="map-cluster"]').length > 0
					? performance.now()
					: null
			)
		);
		// The base map choice is per page load; pick the geographic view and time it from a reload.
		await a.page.locator('select[name="baseMap"]').selectOption('geo');
		await a.page
			.getByTestId('geo-map')
			.locator('[data-loaded="true"]')
			.waitFor({ timeout: 60_000 });
		const started = await a.page.evaluate(() => performance.now());
		await a.page.locator('select[name="baseMap"]').selectOption('');
		await a.page.locator('select[name="baseMap"]').selectOption('geo');
		const handle = await a.page.waitForFunction(
			() =>
				document.querySelector('[data-testid="geo-map"] [data-loaded="true"]') &&
				document.querySelectorAll('[data-testid="map-pin"], [data-testid="map-cluster"]').length > 0
					? performance.now()
					: null,
			null,
			{ timeout: 60_000, polling: 'raf' }
		);
		geoMapMs.push(/** @type {number} */ (await handle.jsonValue()) - started);
	}
	const plain = await plainYjsRoundTrip(a.page, 'assets');
	const rawMs = await rawChannelTransfer(a.page, BASE_MAP_BYTES);
	const link = await inviteLink(a.page);

	const c = await openDevice(browser, url, { viewport });
	await pickName(c.page, 'Cleo');
	const joined = Date.now();
	await c.page.goto(link);
	await c.page.getByRole('button', { name: 'Join space' }).click();
	await waitForPeers(c.page, 1, 60_000);
	await c.page.waitForFunction(
		(bytes) => {
			const g = /** @type {any} */ (globalThis);
			const image = g.barnraise?.session.doc
				.getMap(g.barnraiseRoots.baseMapImages)
				.get('bench-map-000001');
			return image instanceof Uint8Array && image.byteLength === bytes;
		},
		BASE_MAP_BYTES,
		{ timeout: 180_000, polling: 20 }
	);
	const imageArrivedMs = Date.now() - joined;
	await a.context.close();
	await c.context.close();
	return {
		assets: ASSETS,
		stateBytes: plain.bytes,
		listMs: percentile(listMs, 50),
		imageMapMs: percentile(imageMapMs, 50),
		geoMapMs: percentile(geoMapMs, 50),
		plainMs: plain.ms,
		imageBytes: BASE_MAP_BYTES,
		imageArrivedMs,
		rawMs
	};
}

const server = await startServer();
const browser = await launchBrowser();
try {
	const host = machine();
	console.log(
		`Barnraise benchmarks — ${host.cpu}, ${host.memory}, Node ${host.node}, ${host.chromium}\n`
	);

	const sync = [];
	for (const size of SYNC_SIZES) sync.push(await benchFreshPeerSync(browser, server.url, size));
	console.log('Fresh peer joins a space (real WebRTC between two browser contexts, loopback)');
	console.table(
		sync.map((row) => ({
			posts: row.size,
			'state size': `${(row.bytes / 1024).toFixed(0)} KiB`,
			'join → all posts shown': fmt(row.totalMs),
			'link open → all shown': fmt(row.afterLinkMs),
			'plain Yjs encode+apply': fmt(row.plainMs),
			ratio: `${(row.afterLinkMs / row.plainMs).toFixed(1)}×`,
			'raw channel, same bytes': fmt(row.rawMs)
		}))
	);

	const open = await benchOpenFromIndexedDb(browser, server.url, OPEN_SIZE);
	console.log('\nOpen a space from IndexedDB (page load → first rendered board, median of 3)');
	console.table([
		{
			posts: open.size,
			'to rendered board': fmt(open.renderedMs),
			'plain Yjs encode+apply': fmt(open.plainMs),
			ratio: `${(open.renderedMs / open.plainMs).toFixed(1)}×`
		}
	]);

	const latency = await benchEditLatency(browser, server.url);
	console.log('\nEdit propagation between two browsers (new post in A → observed in B)');
	console.table([
		{
			edits: latency.edits,
			p50: fmt(latency.p50),
			p95: fmt(latency.p95),
			'plain Yjs encode+apply of one edit': fmt(latency.plainMs)
		}
	]);

	const mesh = [];
	for (const n of MESH_SIZES) mesh.push(await benchMesh(browser, server.url, n));
	console.log('\nLive mesh: n devices join one space at once (one browser context each)');
	console.table(
		mesh.map((row) => ({
			devices: row.n,
			'all linked to all': fmt(row.meshMs),
			'new post reaches all, p50': fmt(row.p50),
			p95: fmt(row.p95),
			'sends per edit (n·(n−1))': row.sendsPerEdit
		}))
	);

	const ledger = await benchLedger(browser, server.url);
	console.log(
		`\nSupply log: ${ledger.entries.toLocaleString('en')} entries, 20 sites, 200 items (${(ledger.bytes / 1024).toFixed(0)} KiB of state)`
	);
	console.table([
		{
			'full stock fold': fmt(ledger.foldMs),
			'one new entry (incremental)': fmt(ledger.incrementalMs),
			'plain Yjs: read all entries': fmt(ledger.plainReadMs),
			'fold / plain read': `${(ledger.foldMs / ledger.plainReadMs).toFixed(1)}×`
		}
	]);
	console.table([
		{
			'page load → stock view': fmt(ledger.openMs),
			'plain Yjs: decode same state': fmt(ledger.plainDecodeMs),
			ratio: `${(ledger.openMs / ledger.plainDecodeMs).toFixed(1)}×`
		}
	]);

	const assets = await benchAssets(browser, server.url);
	console.log(
		`\nAsset map: ${assets.assets.toLocaleString('en')} assets, half on a picture base map of ${(assets.imageBytes / 1024 / 1024).toFixed(1)} MiB (${(assets.stateBytes / 1024 / 1024).toFixed(1)} MiB of state; median of 3)`
	);
	console.table([
		{
			'page load → list': fmt(assets.listMs),
			'page load → picture map with pins': fmt(assets.imageMapMs),
			'open geographic map (MapLibre) → pins': fmt(assets.geoMapMs),
			'plain Yjs encode+apply': fmt(assets.plainMs)
		}
	]);
	console.table([
		{
			'fresh device: join → picture arrived': fmt(assets.imageArrivedMs),
			'raw channel, same bytes': fmt(assets.rawMs)
		}
	]);

	mkdirSync(new URL('./results', import.meta.url), { recursive: true });
	writeFileSync(
		new URL('./results/latest.json', import.meta.url),
		JSON.stringify(
			{ at: new Date().toISOString(), machine: host, sync, open, latency, mesh, ledger, assets },
			null,
			2
		)
	);
} finally {
	await browser.close();
	await server.stop();
}
