// The asset map: `count` assets, half with a point on the earth, half pinned
// on a picture base map of `baseMapBytes`. Page load → list, → picture map
// with its pins, → geographic map (MapLibre) with its pins (median of 3);
// and how long the picture takes to reach a device that joins fresh.
// Baselines: plain Yjs encoding the space's state and applying it to a fresh
// doc, and the picture's bytes through one raw RTCDataChannel.
import { openDevice } from '../tests/support/harness.js';
import { createSpace, inviteLink, pickName, waitForPeers } from '../tests/support/flows.js';
import { percentile, plainYjsRoundTrip, rawChannelTransfer, timeToView } from './probes.js';

/**
 * In the page: the list holds more than `half` rows. Half, so that the
 * default 2,000 assets wait for 1,000 rows as the bench always has, while a
 * smaller BENCH_ASSETS no longer waits for rows that never come.
 * @param {number | null} half
 */
const isListShown = (half) =>
	(document.querySelector('[data-testid="asset-list"]')?.children.length ?? 0) > Number(half)
		? performance.now()
		: null;

/** In the page: the picture has loaded and pins or clusters are on it. */
const isPictureMapShown = () =>
	document.querySelector('[data-testid="image-map"] img') instanceof HTMLImageElement &&
	/** @type {HTMLImageElement} */ (document.querySelector('[data-testid="image-map"] img'))
		.complete &&
	document.querySelectorAll('[data-testid="map-pin"], [data-testid="map-cluster"]').length > 0
		? performance.now()
		: null;

/**
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {number} count @param {number} baseMapBytes
 */
export async function benchAssets(browser, url, count, baseMapBytes) {
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
		{ count, imageBytes: baseMapBytes }
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
		listMs.push(await timeToView(a.page, `${spaceUrl}/assets`, isListShown, count / 2));
		imageMapMs.push(await timeToView(a.page, `${spaceUrl}/assets/map`, isPictureMapShown, null));
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
	const rawMs = await rawChannelTransfer(a.page, baseMapBytes);
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
		baseMapBytes,
		{ timeout: 180_000, polling: 20 }
	);
	const imageArrivedMs = Date.now() - joined;
	await a.context.close();
	await c.context.close();
	return {
		assets: count,
		stateBytes: plain.bytes,
		listMs: percentile(listMs, 50),
		imageMapMs: percentile(imageMapMs, 50),
		geoMapMs: percentile(geoMapMs, 50),
		plainMs: plain.ms,
		imageBytes: baseMapBytes,
		imageArrivedMs,
		rawMs
	};
}
