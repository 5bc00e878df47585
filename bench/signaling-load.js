// The signaling server under the attacks issue #13 measured: amplifiers
// publishing as fast as they can to a room of 200 readers and to a room of
// 250 subscribers that never read, an unsubscribed publisher of 60 KB frames,
// and 100 connections from one address, while a legitimate room (its own
// process) measures publish → delivery latency. Loopback only, bounded in connections and time (~20 s).
// The server runs in a child process with a 1 GiB heap, as when it was
// measured running out of memory.
//
// Runs alone (`npm run bench:signaling`, no build or browser needed) or as
// part of `npm run bench`.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { percentile } from './probes.js';

const ATTACK_MS = Number(process.env.BENCH_SIGNALING_ATTACK_MS ?? 10_000);
const READERS = 200;
const NON_READERS = 250;
const ONE_ADDRESS = 100;
const FRAME_BYTES = 60_000;
const AMPLIFIERS = 5;
/** 200 readers × 16 KB ≈ 3.2 MB of fan-out per publish: inside one connection's burst allowance. */
const FITTING_BYTES = 16_000;

/**
 * @param {string} url
 * @param {string} localAddress
 * @returns {Promise<WebSocket | null>} null when the server refused it
 */
function open(url, localAddress) {
	return new Promise((resolve) => {
		const socket = new WebSocket(url, { localAddress, perMessageDeflate: false });
		socket.once('open', () => resolve(socket));
		socket.once('error', () => resolve(null));
	});
}

/** `count` sockets spread over loopback addresses `prefix`.1, .2, … at most `perAddress` each. */
async function openMany(
	/** @type {string} */ url,
	/** @type {number} */ count,
	/** @type {string} */ prefix,
	perAddress = 40
) {
	return Promise.all(
		Array.from({ length: count }, (_, i) =>
			open(url, `${prefix}.${1 + Math.floor(i / perAddress)}`)
		)
	);
}

/** @param {WebSocket} socket @param {string} topic */
function subscribe(socket, topic) {
	socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
}

/** Publish `frame` as fast as the socket takes it, until `until`. */
function amplify(
	/** @type {WebSocket} */ socket,
	/** @type {string} */ frame,
	/** @type {number} */ until
) {
	return new Promise((resolve) => {
		const pump = () => {
			if (Date.now() > until || socket.readyState !== WebSocket.OPEN) return resolve(undefined);
			while (socket.bufferedAmount < 1024 * 1024) socket.send(frame);
			setTimeout(pump, 1);
		};
		pump();
	});
}

/** @param {import('node:child_process').ChildProcess} child */
function ask(child) {
	return new Promise((resolve) => {
		child.once('message', resolve);
		child.send('stats');
	});
}

export async function benchSignalingLoad() {
	const child = fork(fileURLToPath(new URL('./signaling-server-child.js', import.meta.url)), [], {
		execArgv: ['--max-old-space-size=1024']
	});
	let exitCode = /** @type {number | null | string} */ (null);
	child.on('exit', (code, signal) => (exitCode = code ?? signal));
	const { port } = /** @type {{ port: number }} */ (
		await new Promise((resolve) => child.once('message', resolve))
	);
	const url = `ws://127.0.0.1:${port}/signal`;
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let legit;
	try {
		legit = fork(fileURLToPath(new URL('./signaling-legit-child.js', import.meta.url)), [url]);
		await new Promise((resolve) => legit?.once('message', resolve));
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const before = /** @type {{ latencies: number[] }} */ (await ask(legit)).latencies;

		// 200 readers that read, in the amplifier's room.
		const readers = /** @type {WebSocket[]} */ (
			(await openMany(url, READERS, '127.0.1')).filter(Boolean)
		);
		let bytesRead = 0;
		for (const reader of readers) {
			subscribe(reader, 'amplified');
			reader.on('message', (data) => (bytesRead += /** @type {Buffer} */ (data).length));
		}
		// 250 subscribers that never read, in a second flooded room.
		const nonReaders = /** @type {WebSocket[]} */ (
			(await openMany(url, NON_READERS, '127.0.2')).filter(Boolean)
		);
		for (const socket of nonReaders) subscribe(socket, 'stuck');
		await new Promise((resolve) => setTimeout(resolve, 300));
		for (const socket of nonReaders) /** @type {any} */ (socket)._socket.pause();
		// 100 connections from one address.
		const crowd = await openMany(url, ONE_ADDRESS, '127.0.3', ONE_ADDRESS);
		const crowdAccepted = crowd.filter(Boolean).length;

		// Per room, AMPLIFIERS subscribed publishers from their own addresses, with
		// frames small enough that one fan-out fits a connection's allowance;
		// and one unsubscribed publisher of FRAME_BYTES frames, as first measured.
		/** @type {Array<{ socket: WebSocket, frame: string }>} */
		const attackers = [];
		for (const [room, prefix] of [
			['amplified', '127.0.4'],
			['stuck', '127.0.5']
		]) {
			const frame = JSON.stringify({
				type: 'publish',
				topic: room,
				data: 'x'.repeat(FITTING_BYTES)
			});
			for (const socket of await openMany(url, AMPLIFIERS, /** @type {string} */ (prefix), 1)) {
				subscribe(/** @type {WebSocket} */ (socket), /** @type {string} */ (room));
				attackers.push({ socket: /** @type {WebSocket} */ (socket), frame });
			}
		}
		attackers.push({
			socket: /** @type {WebSocket} */ (await open(url, '127.0.6.1')),
			frame: JSON.stringify({ type: 'publish', topic: 'amplified', data: 'x'.repeat(FRAME_BYTES) })
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		const baseline = /** @type {any} */ (await ask(child));
		await ask(legit);
		const until = Date.now() + ATTACK_MS;
		await Promise.all(attackers.map(({ socket, frame }) => amplify(socket, frame, until)));
		const during = /** @type {{ latencies: number[] }} */ (await ask(legit));
		const stats = /** @type {any} */ (await ask(child));
		const bytesIn = stats.bytesIn - baseline.bytesIn;
		const bytesOut = stats.bytesOut - baseline.bytesOut;
		const readersLeft = readers.filter((socket) => socket.readyState === WebSocket.OPEN).length;
		const amplifiers = attackers.map(({ socket }) => socket);
		for (const socket of [...readers, ...nonReaders, ...amplifiers, ...crowd]) socket?.terminate();
		return {
			attackSeconds: ATTACK_MS / 1000,
			connections: READERS + NON_READERS + ONE_ADDRESS + attackers.length + 2,
			bytesIn,
			bytesOut,
			bytesRead,
			amplification: bytesOut / bytesIn,
			legitBefore: { p50: percentile(before, 50), p99: percentile(before, 99) },
			legitDuring: {
				p50: percentile(during.latencies, 50),
				p99: percentile(during.latencies, 99),
				delivered: during.latencies.length
			},
			readersLeft,
			crowdAccepted,
			clientsDropped: stats.clientsDropped,
			framesDropped: stats.framesDropped - baseline.framesDropped,
			framesRouted: stats.framesRouted - baseline.framesRouted,
			framesBroadcast: stats.framesBroadcast - baseline.framesBroadcast,
			connectionsRefused: stats.connectionsRefused,
			peakQueuedBytes: stats.peakQueuedBytes,
			loopDelayP99: stats.loopDelayP99,
			loopDelayMax: stats.loopDelayMax,
			peakRss: stats.peakRss,
			peakHeap: stats.peakHeap,
			stayedUp: exitCode === null
		};
	} finally {
		legit?.kill();
		child.kill();
	}
}

/** @param {Awaited<ReturnType<typeof benchSignalingLoad>>} result */
export function printSignalingLoad(result) {
	const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
	const ms = (/** @type {number} */ value) => `${value.toFixed(1)} ms`;
	console.log(
		`\nSignaling server under attack for ${result.attackSeconds} s (${result.connections} connections, loopback; server in its own process, 1 GiB heap)`
	);
	console.table([
		{
			'attackers sent': mb(result.bytesIn),
			'server fanned out': mb(result.bytesOut),
			amplification: `${result.amplification.toFixed(2)}×`,
			'frames dropped by limits': result.framesDropped,
			'publishes routed / broadcast': `${result.framesRouted} / ${result.framesBroadcast}`,
			'slow readers dropped': result.clientsDropped,
			'connections refused': result.connectionsRefused
		}
	]);
	console.table([
		{
			'legit room p50 before': ms(result.legitBefore.p50),
			'p99 before': ms(result.legitBefore.p99),
			'p50 during': ms(result.legitDuring.p50),
			'p99 during': ms(result.legitDuring.p99),
			'legit frames delivered during': result.legitDuring.delivered,
			'server event loop delay p99 / max': `${ms(result.loopDelayP99)} / ${ms(result.loopDelayMax)}`
		}
	]);
	console.table([
		{
			'peak RSS': mb(result.peakRss),
			'peak heap + buffers': mb(result.peakHeap),
			'peak bytes queued for readers': mb(result.peakQueuedBytes),
			'readers still connected': `${result.readersLeft}/${READERS}`,
			'one address: accepted': `${result.crowdAccepted}/${ONE_ADDRESS}`,
			'stayed up': result.stayedUp ? 'yes' : 'NO'
		}
	]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const result = await benchSignalingLoad();
	printSignalingLoad(result);
	process.exit(result.stayedUp ? 0 : 1);
}
