// Rooms past what two cores can hold in Chromium, measured (#14, item 5):
// n devices, each a Node process running the app's provider, bounded mesh
// and v2 engine over @roamhq/wrtc (tests/support/v2-mesh-peer.ts), open one
// space on the app's own signaling server at once. Every process is started
// and loaded first and then told to open, so the times are the mesh's, not
// Node's start-up. The same peer in `today-sync` mode is today's sync: the
// doc on y-webrtc's own full mesh, no engine. Plain Yjs has no room, so there
// is no plain-Yjs row here.
//
// benchNodeRoom: time to one connected graph, a post to every board, links
// per device, and the data-channel messages one small edit costs, counted at
// every peer as they leave (not a formula), beside the same count over an
// equal window with no edit (what the links send anyway: digests, presence).
// benchNodeJoins: n devices open at once; when each has its first open link,
// and when all are one graph. Beside each room, what the signaling server
// carried (frames and bytes in and out, frames dropped, publishes sent to
// one addressee or to the whole room) and the load average around it: the
// machine is shared, and a room of processes loads it.
//
// This file owns the peers' lives: every child is killed when a room ends,
// fails, or the bench process exits. Run alone: `node bench/node-room.js`.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAppServer } from '../server/app-server.js';
import { appModules } from './app-modules.js';

const runner = fileURLToPath(new URL('../tests/support/run-v2-mesh-peer.js', import.meta.url));

/** Every peer process alive, so none outlives the bench however it ends. */
const alive = new Set();
process.on('exit', () => {
	for (const child of alive) child.kill('SIGKILL');
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
	process.once(signal, () => process.exit(130));

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {{ at: number, peer?: string, links: string[], conns: number, maxConns: number, posts: string[],
 *   framesSent: number, bytesSent: number }} PeerState
 * @typedef {{ latest: PeerState | null, ready: boolean, lines: string[],
 *   listeners: Set<(state: PeerState) => void>, open(): void, post(title: string): void,
 *   pausePresence(): void,
 *   stop(): void }} Peer
 */

/** @param {string} signal @param {string} link @param {'v2' | 'today'} sync @returns {Peer} */
function startPeer(signal, link, sync) {
	const mode = sync === 'v2' ? 'v2' : 'today-sync';
	const child = spawn(process.execPath, [runner, signal, link, '20000', mode, 'gated']);
	alive.add(child);
	child.on('exit', () => alive.delete(child));
	/** @type {Peer} */
	const peer = {
		latest: null,
		ready: false,
		lines: [],
		listeners: new Set(),
		open: () => child.stdin.write('{"open":true}\n'),
		post: (title) => child.stdin.write(JSON.stringify({ post: title }) + '\n'),
		pausePresence: () => child.stdin.write('{"pausePresence":true}\n'),
		stop: () => child.kill('SIGKILL')
	};
	createInterface({ input: child.stdout }).on('line', (line) => {
		let message;
		try {
			message = JSON.parse(line);
		} catch {
			peer.lines.push(line);
			return;
		}
		if (message.gated) peer.ready = true;
		else if (typeof message.at === 'number') {
			peer.latest = message;
			for (const listener of peer.listeners) listener(message);
		}
	});
	createInterface({ input: child.stderr }).on('line', (line) => peer.lines.push(line));
	child.stdin.on('error', () => {});
	return peer;
}

/** @param {(PeerState | null)[]} states */
function isConnected(states) {
	if (states.some((state) => !state?.peer)) return false;
	const all = /** @type {PeerState[]} */ (states);
	const neighbours = new Map(all.map((state) => [state.peer, new Set()]));
	for (const state of all)
		for (const other of state.links) {
			neighbours.get(state.peer)?.add(other);
			neighbours.get(other)?.add(state.peer);
		}
	const start = /** @type {PeerState} */ (all[0]).peer;
	const reached = new Set([start]);
	const queue = [start];
	while (queue.length > 0)
		for (const next of neighbours.get(queue.pop()) ?? [])
			if (!reached.has(next)) {
				reached.add(next);
				queue.push(next);
			}
	return reached.size === all.length;
}

/** Each device's links and the graph's parts, for a room that did not become one. @param {Peer[]} peers */
function describeGraph(peers) {
	const parts = new Map();
	const part = new Map(peers.map((peer) => [peer.latest?.peer, peer.latest?.peer]));
	const find = (/** @type {any} */ id) => {
		while (part.get(id) !== id && part.has(id)) id = part.get(id);
		return id;
	};
	for (const peer of peers)
		for (const other of peer.latest?.links ?? []) part.set(find(peer.latest?.peer), find(other));
	for (const peer of peers)
		parts.set(find(peer.latest?.peer), (parts.get(find(peer.latest?.peer)) ?? 0) + 1);
	const devices = peers.map(
		(peer) =>
			`${peer.latest?.peer?.slice(0, 6) ?? '(no room)'}: ${peer.latest?.links.length ?? 0} open, ` +
			`${peer.latest?.conns ?? 0} held, most ${peer.latest?.maxConns ?? 0}` +
			(peer.lines.length > 0 ? `; ${peer.lines.slice(-3).join(' | ')}` : '')
	);
	return `graph parts of ${[...parts.values()].join(', ')} devices\n${devices.join('\n')}`;
}

/**
 * Resolves with the `at` of the report that first made `holds` true, or
 * rejects after `timeoutMs` saying `what`.
 * @param {Peer[]} peers @param {(states: (PeerState | null)[]) => boolean} holds
 * @param {number} timeoutMs @param {string} what @returns {Promise<number>}
 */
function when(peers, holds, timeoutMs, what) {
	return new Promise((resolve, reject) => {
		const listener = (/** @type {PeerState} */ state) => {
			if (!holds(peers.map((each) => each.latest))) return;
			stop();
			resolve(state.at);
		};
		const stop = () => {
			clearTimeout(timer);
			for (const peer of peers) peer.listeners.delete(listener);
		};
		const timer = setTimeout(() => {
			stop();
			reject(new Error(`${what} not within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		for (const peer of peers) peer.listeners.add(listener);
	});
}

/** A signaling server, a fresh space's invite, and a way to end both. */
async function openRoom() {
	const vite = await appModules();
	try {
		const { makeInviteLink } = await vite.ssrLoadModule('/src/lib/sync/invite.ts');
		const { generateSpaceKey } = await vite.ssrLoadModule('/src/lib/sync/keys.ts');
		/** @type {string[]} */
		const log = [];
		const app = createAppServer({ buildDir: 'static', log: (line) => log.push(line) });
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = /** @type {import('node:net').AddressInfo} */ (app.server.address());
		const signal = `ws://127.0.0.1:${port}/signal`;
		/** @type {string} */
		const link = makeInviteLink('barnraise:', {
			key: generateSpaceKey(),
			name: 'Node room',
			signaling: [signal]
		});
		return {
			signal,
			link,
			/** What the signaling server dropped or refused: its counts and log lines. */
			signaling: () => ({ ...app.signaling?.stats(), log }),
			close: app.close
		};
	} finally {
		await vite.close();
	}
}

/**
 * Starts n peers and waits until every one is loaded and waiting to open.
 * @param {number} n @param {string} signal @param {string} link @param {'v2' | 'today'} sync
 */
async function startPeers(n, signal, link, sync) {
	const peers = Array.from({ length: n }, () => startPeer(signal, link, sync));
	const deadline = Date.now() + 30_000 + n * 5_000;
	while (!peers.every((peer) => peer.ready)) {
		if (Date.now() > deadline) throw new Error(`${n} peers did not load in time`);
		await sleep(100);
	}
	return peers;
}

/** @param {Peer[]} peers */
async function stopPeers(peers) {
	for (const peer of peers) peer.stop();
	// Signaling forgets them before the next room.
	await sleep(1_000);
}

/**
 * The signaling server's counts for a room's report.
 * @param {Partial<Record<string, unknown>>} stats
 */
function signalingCounts(stats) {
	const count = (/** @type {string} */ name) => Number(stats[name] ?? 0);
	return {
		framesIn: count('framesIn'),
		bytesIn: count('bytesIn'),
		bytesOut: count('bytesOut'),
		framesDropped: count('framesDropped'),
		clientsDropped: count('clientsDropped'),
		framesRouted: count('framesRouted'),
		framesBroadcast: count('framesBroadcast')
	};
}

/** @param {Peer[]} peers */
const framesSent = (peers) => peers.reduce((sum, peer) => sum + (peer.latest?.framesSent ?? 0), 0);
/** @param {Peer[]} peers */
const bytesSent = (peers) => peers.reduce((sum, peer) => sum + (peer.latest?.bytesSent ?? 0), 0);
/** @param {string} title */
const onEveryBoard = (title) => (/** @type {(PeerState | null)[]} */ states) =>
	states.every((state) => state?.posts.includes(title));

/**
 * @param {number} n devices
 * @param {'v2' | 'today'} sync
 * @param {{ windowMs?: number, rounds?: number }} [options] the counting window, and how many
 *   quiet and edit windows to average
 */
export async function benchNodeRoom(n, sync, options = {}) {
	const windowMs = options.windowMs ?? 10_000;
	const rounds = options.rounds ?? 3;
	const room = await openRoom();
	/** @type {Peer[]} */
	let peers = [];
	try {
		const loading = Date.now();
		peers = await startPeers(n, room.signal, room.link, sync);
		const loadMs = Date.now() - loading;
		const first = 'First post';
		const linked = when(peers, isConnected, 180_000, `${sync}: ${n} devices in one graph`);
		const reached = when(peers, onEveryBoard(first), 240_000, 'the first post everywhere');
		// Awaited after the graph; a room that never links must not leave it unhandled.
		reached.catch(() => {});
		const started = Date.now();
		const loadAtOpen = loadavg()[0] ?? NaN;
		for (const peer of peers) peer.open();
		peers[0]?.post(first);
		const graphMs = await linked.then(
			(at) => at - started,
			(error) => {
				throw new Error(
					`${error.message}\n${describeGraph(peers)}\n` +
						`signaling: ${JSON.stringify(room.signaling())}`
				);
			}
		);
		const everyBoardMs = (await reached) - started;

		// Presence renewals paused (they would drown one edit's messages), joins
		// and their catching up settled, then count.
		for (const peer of peers) peer.pausePresence();
		await sleep(5_000);
		const quiet = { frames: 0, bytes: 0 };
		const edit = { frames: 0, bytes: 0 };
		const editMs = [];
		for (let round = 0; round < rounds; round++) {
			const frames = framesSent(peers);
			const bytes = bytesSent(peers);
			await sleep(windowMs);
			quiet.frames += framesSent(peers) - frames;
			quiet.bytes += bytesSent(peers) - bytes;

			const title = `Edit ${round}`;
			const framesBefore = framesSent(peers);
			const bytesBefore = bytesSent(peers);
			const everywhere = when(peers, onEveryBoard(title), windowMs, `${title} everywhere`);
			const at = Date.now();
			peers[(round + 1) % n]?.post(title);
			editMs.push((await everywhere) - at);
			await sleep(windowMs - (Date.now() - at));
			edit.frames += framesSent(peers) - framesBefore;
			edit.bytes += bytesSent(peers) - bytesBefore;
		}
		const links = peers.map((peer) => peer.latest?.links.length ?? 0);
		return {
			sync,
			n,
			loadMs,
			load: { atOpen: loadAtOpen, atEnd: loadavg()[0] ?? NaN },
			signaling: signalingCounts(room.signaling()),
			graphMs,
			everyBoardMs,
			editMs: editMs.sort((a, b) => a - b)[Math.floor(editMs.length / 2)] ?? NaN,
			linksMin: Math.min(...links),
			linksMean: links.reduce((sum, count) => sum + count, 0) / n,
			linksMax: Math.max(...links),
			maxConns: Math.max(...peers.map((peer) => peer.latest?.maxConns ?? 0)),
			windowMs,
			editFrames: edit.frames / rounds,
			quietFrames: quiet.frames / rounds,
			editBytes: edit.bytes / rounds,
			quietBytes: quiet.bytes / rounds
		};
	} finally {
		await stopPeers(peers);
		await room.close();
	}
}

/**
 * n devices open one space at once, `runs` times over.
 * @param {number} n @param {'v2' | 'today'} sync @param {number} runs
 */
export async function benchNodeJoins(n, sync, runs) {
	const results = [];
	for (let run = 0; run < runs; run++) {
		const room = await openRoom();
		/** @type {Peer[]} */
		let peers = [];
		try {
			peers = await startPeers(n, room.signal, room.link, sync);
			/** When each device first had an open link, ms after the open. */
			const firstLink = new Array(n).fill(Infinity);
			let graphMs = Infinity;
			const started = Date.now();
			// Ends when all are linked and one graph, or after a minute (then Infinity says so).
			await new Promise((resolve) => {
				const timer = setTimeout(resolve, 60_000);
				peers.forEach((peer, i) => {
					peer.listeners.add((state) => {
						if (state.links.length > 0) firstLink[i] = Math.min(firstLink[i], state.at - started);
						if (graphMs === Infinity && isConnected(peers.map((each) => each.latest)))
							graphMs = state.at - started;
						if (graphMs < Infinity && firstLink.every(Number.isFinite)) {
							clearTimeout(timer);
							resolve(undefined);
						}
					});
				});
				for (const peer of peers) peer.open();
			});
			const sorted = [...firstLink].sort((a, b) => a - b);
			results.push({
				sync,
				n,
				run: run + 1,
				firstLinkMin: sorted[0],
				firstLinkMedian: sorted[Math.floor(n / 2)],
				everyLinkedMs: sorted[n - 1],
				graphMs
			});
		} finally {
			await stopPeers(peers);
			await room.close();
		}
	}
	return results;
}

/**
 * What `npm run bench` and this file run: a room of each size on v2, today's
 * sync beside the smallest (unless `today` is false), then `joins` devices
 * opening at once, `runs` times on each sync.
 * @param {{ sizes: number[], joins: number, runs: number, today?: boolean }} options
 */
export async function benchNodeRooms({ sizes, joins, runs, today = true }) {
	const rooms = [];
	for (const n of sizes) rooms.push(await benchNodeRoom(n, 'v2'));
	if (today) rooms.push(await benchNodeRoom(Math.min(...sizes), 'today'));
	const joinRuns = [
		...(await benchNodeJoins(joins, 'v2', runs)),
		...(await benchNodeJoins(joins, 'today', runs))
	];
	return { rooms, joinRuns };
}

/** @param {'v2' | 'today'} sync */
const syncLabel = (sync) => (sync === 'v2' ? 'v2 (bounded mesh)' : "today (y-webrtc's)");

/** @param {Awaited<ReturnType<typeof benchNodeRoom>>[]} rooms @param {(ms: number) => string} fmt */
export function printNodeRooms(rooms, fmt) {
	console.log(
		'\nA room of Node devices (app provider + engine over @roamhq/wrtc, own process each); messages counted at every peer as they leave'
	);
	console.table(
		rooms.map((row) => ({
			sync: syncLabel(row.sync),
			devices: row.n,
			'open → one graph': fmt(row.graphMs),
			'open → first post on every board': fmt(row.everyBoardMs),
			'edit → every board (median)': fmt(row.editMs),
			'links per device (min/mean/max)': `${row.linksMin}/${row.linksMean.toFixed(1)}/${row.linksMax}`,
			[`messages in ${row.windowMs / 1000} s with one edit`]: Math.round(row.editFrames),
			'same window, no edit': Math.round(row.quietFrames),
			'edit costs (msgs)': Math.round(row.editFrames - row.quietFrames),
			'÷ n': ((row.editFrames - row.quietFrames) / row.n).toFixed(1),
			'bytes: edit window / quiet': `${(row.editBytes / 1024).toFixed(1)} / ${(row.quietBytes / 1024).toFixed(1)} KiB`
		}))
	);
	console.log(
		'Signaling server over each room (publishes routed to one peer, or broadcast to all), load average (1 min) at open and end'
	);
	console.table(
		rooms.map(({ sync, n, signaling, load }) => ({
			sync: syncLabel(sync),
			devices: n,
			'frames in': signaling.framesIn,
			'frames dropped': signaling.framesDropped,
			'clients dropped': signaling.clientsDropped,
			'publishes routed / broadcast': `${signaling.framesRouted} / ${signaling.framesBroadcast}`,
			'MB in / out': `${(signaling.bytesIn / 1e6).toFixed(1)} / ${(signaling.bytesOut / 1e6).toFixed(1)}`,
			'load at open / end': `${load.atOpen.toFixed(1)} / ${load.atEnd.toFixed(1)}`
		}))
	);
}

/** @param {Awaited<ReturnType<typeof benchNodeJoins>>} runs @param {(ms: number) => string} fmt */
export function printNodeJoins(runs, fmt) {
	console.log(
		'\nSimultaneous joins: n Node devices open one space at once (each run a fresh room)'
	);
	console.table(
		runs.map((row) => ({
			sync: syncLabel(row.sync),
			devices: row.n,
			run: row.run,
			'first link (min)': fmt(row.firstLinkMin),
			'first link (median)': fmt(row.firstLinkMedian),
			'every device linked': fmt(row.everyLinkedMs),
			'one graph': fmt(row.graphMs)
		}))
	);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { fmt } = await import('./probes.js');
	const { rooms, joinRuns } = await benchNodeRooms({
		sizes: (process.env.BENCH_NODE_ROOM ?? '16,30').split(',').map(Number),
		joins: Number(process.env.BENCH_NODE_JOINS ?? 8),
		runs: Number(process.env.BENCH_NODE_JOIN_RUNS ?? 3),
		today: process.env.BENCH_NODE_ROOM_TODAY !== '0'
	});
	printNodeRooms(rooms, fmt);
	printNodeJoins(joinRuns, fmt);
	process.exit(0);
}
