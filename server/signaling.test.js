import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppServer } from './app-server.js';

/** @typedef {{ socket: WebSocket, messages: any[], closed: Promise<number> }} TestClient */

/** @type {import('node:http').Server} */
let server;
/** @type {() => Promise<unknown>} */
let stop;
/** @type {string[]} */
let logLines;
/** @type {string} */
let url;

/** @param {Partial<import('./signaling.js').SignalingOptions>} [signaling] */
async function start(signaling = {}) {
	logLines = [];
	({ server, close: stop } = createAppServer({
		buildDir: 'static',
		log: (line) => logLines.push(line),
		signaling
	}));
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	url = `ws://127.0.0.1:${address.port}/signal`;
}

/** @returns {Promise<TestClient>} */
async function connect() {
	const socket = new WebSocket(url);
	/** @type {any[]} */
	const messages = [];
	socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
	const closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	return { socket, messages, closed: /** @type {Promise<number>} */ (closed) };
}

/** @param {() => boolean} condition */
async function until(condition, timeoutMs = 2000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for condition');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

beforeEach(() => start());
afterEach(() => stop());

describe('signaling server', () => {
	it('fans a publish out to every subscriber of the topic, with a client count', async () => {
		const a = await connect();
		const b = await connect();
		const outsider = await connect();
		a.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
		b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
		outsider.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-2'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		a.socket.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'hello' }));
		await until(() => b.messages.length === 1 && a.messages.length === 1);
		expect(b.messages[0]).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
		expect(outsider.messages).toEqual([]);
	});

	it('answers ping with pong', async () => {
		const a = await connect();
		a.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => a.messages.length === 1);
		expect(a.messages[0]).toEqual({ type: 'pong' });
	});

	it('stops delivering after unsubscribe and on close', async () => {
		const a = await connect();
		const b = await connect();
		a.socket.send(JSON.stringify({ type: 'subscribe', topics: ['t'] }));
		b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['t'] }));
		b.socket.send(JSON.stringify({ type: 'unsubscribe', topics: ['t'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		a.socket.send(JSON.stringify({ type: 'publish', topic: 't', data: 1 }));
		await until(() => a.messages.length === 1);
		expect(a.messages[0].clients).toBe(1);
		expect(b.messages).toEqual([]);
	});

	it('survives malformed frames, logs one line for each, and keeps serving', async () => {
		const bad = await connect();
		const good = await connect();
		const frames = [
			'not json',
			'{"type":',
			'null',
			'[1,2,3]',
			'42',
			JSON.stringify({ type: 'subscribe', topics: 'room' }),
			JSON.stringify({ type: 'subscribe', topics: [42, ''] }),
			JSON.stringify({ type: 'publish' }),
			JSON.stringify({ type: 'unsubscribe' }),
			JSON.stringify({ type: 'launch-missiles' })
		];
		for (const frame of frames) bad.socket.send(frame);
		bad.socket.send(Buffer.from([0xff, 0x00]));
		good.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => good.messages.length === 1);
		await until(() => logLines.length >= frames.length + 1);
		expect(logLines.some((line) => line.includes('not JSON'))).toBe(true);
		expect(logLines.some((line) => line.includes('binary frame'))).toBe(true);
		// The bad client is still connected (under the problem limit) and served.
		bad.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => bad.messages.length === 1);
		expect(bad.messages[0]).toEqual({ type: 'pong' });
	});

	it('closes a client that keeps sending garbage', async () => {
		const bad = await connect();
		for (let i = 0; i < 25; i++) bad.socket.send('garbage');
		await expect(bad.closed).resolves.toBe(1008);
	});

	it('rejects an oversized frame by closing that socket only', async () => {
		const big = await connect();
		const other = await connect();
		big.socket.send(JSON.stringify({ type: 'publish', topic: 't', data: 'x'.repeat(100_000) }));
		await expect(big.closed).resolves.toBe(1009);
		other.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => other.messages.length === 1);
		expect(logLines.some((line) => /payload|Max/i.test(line))).toBe(true);
	});

	it('caps the number of topics per connection', async () => {
		const greedy = await connect();
		const topics = Array.from({ length: 100 }, (_, i) => `topic-${i}`);
		greedy.socket.send(JSON.stringify({ type: 'subscribe', topics }));
		await until(() => logLines.some((line) => line.includes('topic limit')));
		const probe = await connect();
		probe.socket.send(JSON.stringify({ type: 'subscribe', topics: ['topic-70'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		probe.socket.send(JSON.stringify({ type: 'publish', topic: 'topic-70', data: 1 }));
		await until(() => probe.messages.length === 1);
		// Only the probe itself is subscribed to topic-70: the greedy client was capped at 64.
		expect(probe.messages[0].clients).toBe(1);
		expect(greedy.messages).toEqual([]);
	});

	it('drops clients that stop answering pings', async () => {
		await stop();
		await start({ pingIntervalMs: 50 });
		const silent = await connect();
		// Stop the client from auto-answering pings, as a frozen phone would.
		// @ts-expect-error ws internal: replace the pong reply with nothing
		silent.socket._receiver.removeAllListeners('ping');
		silent.socket.pong = () => {};
		await expect(silent.closed).resolves.toBeGreaterThan(0);
		expect(logLines.some((line) => line.includes('no pong'))).toBe(true);
	});
});
