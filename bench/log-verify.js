// `npm run bench:logs`: what verifying signed logs (sync v2, #14) adds to a
// fresh join, in Node. A space of `BENCH_LOG_POSTS` posts is written by one
// device whose doc uses its derived client id; its updates become log
// entries two ways — one entry per post (each post typed on its own: the
// most entries) and entries batched to 64 KiB (a bulk import) — chained and
// signed as the log store does. Then, median of 5: verifying the whole range
// (one Ed25519 check and one SHA-256 per entry), beside plain Yjs encoding
// the same state and applying it to a fresh doc, and beside applying the
// entries' bodies as a joiner would (merged in 1 MiB chunks). The share is of a join at the v2 target (≤ 2× plain Yjs
// in the same run). No timing is asserted; figures are for people to read.
//
// The app's TypeScript modules are loaded through Vite, as in the tests.
import * as Y from 'yjs';
import { appModules } from './app-modules.js';
import { batchUpdates } from './log-shapes.js';
import { machine } from './probes.js';

const POSTS = Number(process.env.BENCH_LOG_POSTS ?? 20_000);
const RUNS = 5;
const BATCH_BYTES = 64 * 1024;
const APPLY_CHUNK_BYTES = 1024 * 1024;

const vite = await appModules();

/** @param {number} ms */
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** Median time of RUNS calls of `run`. @param {() => void} run */
function median(run) {
	const times = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		run();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return /** @type {number} */ (times[Math.floor(RUNS / 2)]);
}

try {
	const entry = await vite.ssrLoadModule('/src/lib/sync/v2/entry.ts');
	const head = await vite.ssrLoadModule('/src/lib/sync/v2/head.ts');
	const { clientId } = await vite.ssrLoadModule('/src/lib/sync/v2/client-id.ts');
	const { verifyRange } = await vite.ssrLoadModule('/src/lib/sync/v2/verify.ts');
	const { createPost, initSpace } = await vite.ssrLoadModule('/src/lib/doc/space-doc.ts');
	const { newId } = await vite.ssrLoadModule('/src/lib/domain/ids.ts');

	const key = head.generateDeviceKey();
	const doc = new Y.Doc();
	doc.clientID = clientId(key.author, 1);
	/** @type {Uint8Array[]} */
	const updates = [];
	doc.on('update', (/** @type {Uint8Array} */ update) => updates.push(update));
	initSpace(doc, 'Bench', 1);
	const member = newId();
	const categories = ['water', 'food', 'shelter', 'medical', 'power'];
	const urgencies = ['low', 'normal', 'high', 'critical'];
	for (let i = 0; i < POSTS; i++)
		createPost(
			doc,
			newId(),
			{
				kind: i % 3 === 0 ? 'offer' : 'need',
				title: `Seeded post ${i}`,
				details: `Details for seeded post number ${i}, with a little text like a real post has.`,
				category: categories[i % categories.length],
				quantity: i % 50,
				unit: 'boxes',
				urgency: urgencies[i % urgencies.length],
				locationText: `Block ${i % 40}`,
				contact: '',
				expiresAt: null
			},
			member,
			1_700_000_000_000 + i
		);

	/** Chain and sign `bodies` as one author's log, as LocalLog.append does. @param {Uint8Array[]} bodies */
	function buildLog(bodies) {
		const entries = [];
		let prev = entry.NO_PREVIOUS;
		let signed;
		for (const [i, body] of bodies.entries()) {
			const encoded = entry.encodeEntry({ seq: i + 1, prev, kind: 0, epoch: 1, time: i, body });
			prev = entry.hashEntry(key.author, encoded);
			entries.push(encoded);
			// Every append signs; only the last head is kept.
			if (i === bodies.length - 1) signed = head.signHead(key, i + 1, prev);
		}
		return { entries, head: signed };
	}

	const batched = batchUpdates(updates, BATCH_BYTES);

	const plainBytes = Y.encodeStateAsUpdate(doc).length;
	const plainMs = median(() => {
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
		if (fresh.getMap('posts').size !== POSTS) throw new Error('plain Yjs applied too little');
	});

	const rows = [];
	for (const [shape, bodies] of /** @type {const} */ ([
		['one entry per post', updates],
		['batched to 64 KiB', batched]
	])) {
		const log = buildLog(bodies);
		const bytes = log.entries.reduce((sum, bytes) => sum + bytes.length, 0);
		const verifyMs = median(() => {
			const result = verifyRange({ author: key.author, entries: log.entries, head: log.head });
			if (!result.ok) throw new Error(`the bench's own log was refused: ${result.reason}`);
		});
		// As a joiner applies a range: consecutive entries merged up to 1 MiB
		// (one ENTRIES chunk), one transaction each. One Y.mergeUpdates of all
		// 20,000 per-post updates took ten times plain Yjs in a first run.
		/** @type {Uint8Array[][]} */
		const chunks = [];
		/** @type {Uint8Array[]} */
		let chunk = [];
		let chunkBytes = 0;
		for (const body of bodies) {
			chunk.push(body);
			chunkBytes += body.length;
			if (chunkBytes >= APPLY_CHUNK_BYTES) {
				chunks.push(chunk);
				chunk = [];
				chunkBytes = 0;
			}
		}
		if (chunk.length > 0) chunks.push(chunk);
		const applyMs = median(() => {
			const fresh = new Y.Doc();
			for (const bodies of chunks) Y.applyUpdate(fresh, Y.mergeUpdates(bodies));
			if (fresh.getMap('posts').size !== POSTS) throw new Error('entries applied too little');
		});
		const oneVerifyMs = median(() => head.isHeadSigned(log.head));
		rows.push({
			entries: shape,
			count: log.entries.length,
			'log bytes': `${(bytes / 1024).toFixed(0)} KiB`,
			'verify range': fmt(verifyMs),
			'of which signature': fmt(oneVerifyMs),
			'apply entries (1 MiB merges)': fmt(applyMs),
			'plain Yjs encode+apply': fmt(plainMs),
			'verify ÷ plain': `${((verifyMs / plainMs) * 100).toFixed(0)}%`
		});
	}

	const host = machine();
	console.log(`Sync v2 log verification — ${host.cpu}, ${host.memory}, Node ${host.node}\n`);
	console.log(
		`${POSTS} posts, one author; state ${(plainBytes / 1024).toFixed(0)} KiB as plain Yjs (median of ${RUNS})`
	);
	console.table(rows);
} finally {
	await vite.close();
}
