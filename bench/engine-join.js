// `npm run bench:engine`: a fresh join through the sync v2 engine (#14, slice
// 2) over in-memory links in one Node process, beside plain Yjs encode+apply
// of the same state in the same run. One device writes `BENCH_ENGINE_POSTS`
// posts (its log one entry per post, or batched to 64 KiB as the batcher
// does), 1, 3 or 6 devices hold it, and a new device joins them all. Printed:
// the bytes the new device received and sent as multiples of the state's
// size (counted on the links, not estimated), and the join's time: verifying,
// judging and applying every entry. No timing is asserted.
//
// No transport is in it: WebRTC's own costs come in slice 3's browser bench.
import * as Y from 'yjs';
import { appModules } from './app-modules.js';
import { batchUpdates } from './log-shapes.js';
import { machine } from './probes.js';

const POSTS = Number(process.env.BENCH_ENGINE_POSTS ?? 20_000);
const BATCH_BYTES = 64 * 1024;

const vite = await appModules();

const RUNS = 3;

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

/** @param {number} ms */
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

try {
	const { TestNetwork } = await vite.ssrLoadModule('/src/lib/sync/v2/network.test-helper.ts');
	const { createPost, initSpace } = await vite.ssrLoadModule('/src/lib/doc/space-doc.ts');
	const { newId } = await vite.ssrLoadModule('/src/lib/domain/ids.ts');
	const { verifyRange } = await vite.ssrLoadModule('/src/lib/sync/v2/verify.ts');

	/** The author's changes: one Yjs update per post. */
	function writeSpace() {
		const doc = new Y.Doc();
		/** @type {Uint8Array[]} */
		const updates = [];
		doc.on('update', (/** @type {Uint8Array} */ update) => updates.push(update));
		initSpace(doc, 'Bench', 1);
		const member = newId();
		for (let i = 0; i < POSTS; i++)
			createPost(
				doc,
				newId(),
				{
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
				},
				member,
				1_700_000_000_000 + i
			);
		return { doc, updates };
	}

	/**
	 * A network where `holders` devices hold the author's log (given as
	 * bodies), ready for a joiner. The author's doc is rewritten under its
	 * derived client id, so the bodies are re-made there.
	 * @param {number} holders @param {boolean} batched
	 */
	function world(holders, batched) {
		const net = new TestNetwork();
		const author = net.device('author');
		/** @type {Uint8Array[]} */
		const updates = [];
		author.logging = false;
		author.doc.on('update', (/** @type {Uint8Array} */ update) => updates.push(update));
		const written = writeSpace();
		// Re-play the space in the author's own doc so its structs use its client id.
		initSpace(author.doc, 'Bench', 1);
		const posts = written.doc.getMap('posts');
		for (const [id, post] of posts) {
			const fields = /** @type {any} */ (post).toJSON();
			createPost(author.doc, id, fields, fields.createdBy, fields.createdAt);
		}
		for (const body of batched ? batchUpdates(updates, BATCH_BYTES) : updates) author.append(body);
		const devices = [author];
		for (let i = 1; i < holders; i++) {
			const holder = net.device(`holder${i}`);
			net.connect(holder, author);
			net.settle();
			devices.push(holder);
		}
		return { net, devices, doc: author.doc };
	}

	const rows = [];
	for (const batched of [false, true])
		for (const holders of [1, 3, 6]) {
			const { net, devices, doc } = world(holders, batched);
			const stateBytes = Y.encodeStateAsUpdate(doc).length;
			const plainMs = median(() => {
				const fresh = new Y.Doc();
				Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
			});
			// Each run is a new device joining the same holders; the last one's traffic is shown.
			/** @type {any} */
			let joiner = null;
			let run = 0;
			const joinMs = median(() => {
				// One joiner at a time is kept (the last, for its traffic): memory stays bounded.
				joiner?.doc.destroy();
				joiner = net.device(`joiner${run++}`);
				for (const holder of devices) net.connect(joiner, holder);
				net.settle();
				for (const holder of devices) net.disconnect(joiner, holder);
				net.devices.splice(net.devices.indexOf(joiner), 1);
			});

			// Verifying the author's whole log alone (hashes in JavaScript, as the engine
			// does here, and the head's signature): its share of the measured join.
			const author = devices[0];
			const verifyMs = median(() => {
				const result = verifyRange({
					author: author.key.author,
					entries: author.entries,
					head: author.heads.at(-1)
				});
				if (!result.ok) throw new Error(`the log did not verify: ${result.reason}`);
			});

			const got = joiner.doc.getMap('posts').size;
			if (got !== POSTS) throw new Error(`the joiner has ${got} of ${POSTS} posts`);
			const received = net.traffic({ to: joiner });
			const sent = net.traffic({ from: joiner });
			rows.push({
				log: batched ? 'batched 64 KiB' : 'one entry per post',
				entries: devices[0].entries.length,
				holders,
				'received ÷ state': (received.bytes / stateBytes).toFixed(2),
				'sent ÷ state': (sent.bytes / stateBytes).toFixed(3),
				messages: `${received.messages} in, ${sent.messages} out`,
				'join (engine)': fmt(joinMs),
				'plain Yjs encode+apply': fmt(plainMs),
				'join ÷ plain': `${(joinMs / plainMs).toFixed(1)}×`,
				'verify alone': fmt(verifyMs),
				'verify ÷ join': `${((verifyMs / joinMs) * 100).toFixed(0)}%`
			});
		}

	const host = machine();
	console.log(`Sync v2 engine join — ${host.cpu}, ${host.memory}, Node ${host.node}\n`);
	console.log(`${POSTS} posts by one author; in-memory links, one process; median of ${RUNS}`);
	console.table(rows);
} finally {
	await vite.close();
}
