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
/** @type {ReturnType<typeof import('./signaling.js').createSignalingServer>} */
let signalingServer;

/** @param {Partial<import('./signaling.js').SignalingOptions>} [signaling] */
async function start(signaling = {}) {
	logLines = [];
	({
		server,
		signaling: signalingServer,
		close: stop
	} = createAppServer({
		buildDir: 'static',
		log: (line) => logLines.push(line),
		signaling
	}));
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	url = `ws://127.0.0.1:${address.port}/signal`;
}

/**
 * @param {string} [localAddress] another loopback address (127.0.0.2) to connect from
 * @returns {Promise<TestClient>}
 */
async function connect(localAddress) {
	const socket = new WebSocket(url, { localAddress });
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

	it('refuses a publish to a topic the connection has not subscribed to', async () => {
		const member = await connect();
		const outsider = await connect();
		member.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		outsider.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'garbage' }));
		member.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'hello' }));
		await until(() => member.messages.length === 1);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(member.messages.map((message) => message.data)).toEqual(['hello']);
		expect(logLines.some((line) => line.includes('not subscribed'))).toBe(true);
	});
});

/**
 * Publish `count` frames of `size` bytes of data to `topic`, paced in small
 * batches so readers that do read keep up.
 * @param {TestClient} client
 * @param {string} topic
 * @param {number} count
 * @param {number} size
 * @param {number} [batch]
 */
async function flood(client, topic, count, size, batch = count) {
	const frame = JSON.stringify({ type: 'publish', topic, data: 'x'.repeat(size) });
	for (let sent = 0; sent < count; sent += batch) {
		for (let i = sent; i < Math.min(count, sent + batch); i++) client.socket.send(frame);
		if (batch < count) await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** A client that stops reading from its socket, as a frozen or hostile one does. */
function stopReading(/** @type {TestClient} */ client) {
	// @ts-expect-error ws internal: the underlying net.Socket
	client.socket._socket.pause();
}

const generous = {
	fanoutBytesBurst: 1e9,
	fanoutBytesPerSecond: 1e9,
	topicFanoutBytesBurst: 1e9,
	topicFanoutBytesPerSecond: 1e9,
	framesBurst: 1e6
};

describe('signaling server limits', () => {
	it('drops a subscriber that stops reading, and keeps serving one that reads', async () => {
		await stop();
		await start({ ...generous, maxBufferedBytes: 256 * 1024 });
		const publisher = await connect();
		const stuck = await connect();
		const reader = await connect();
		for (const client of [publisher, stuck, reader])
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		stopReading(stuck);
		// 24 MB: more than the kernel's loopback buffers hold for the stuck socket.
		await flood(publisher, 'room', 400, 60_000, 2);
		await until(() => logLines.some((line) => line.includes('not reading')), 10_000);
		await until(() => reader.messages.length === 400, 10_000);
		expect(stuck.messages.length).toBeLessThan(400);
		expect(logLines.filter((line) => line.includes('dropped'))).toHaveLength(1);
	}, 20_000);

	it('keeps the bytes held for all slow readers under a global budget, dropping the slowest', async () => {
		await stop();
		await start({
			...generous,
			maxBufferedBytes: 8 * 1024 * 1024,
			maxTotalBufferedBytes: 2 * 1024 * 1024
		});
		const publisher = await connect();
		const reader = await connect();
		const stuck = await Promise.all(Array.from({ length: 6 }, () => connect()));
		for (const client of [publisher, reader, ...stuck])
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		for (const client of stuck) stopReading(client);
		let peak = 0;
		const sampler = setInterval(() => {
			peak = Math.max(peak, signalingServer.stats().queuedBytes);
		}, 5);
		await flood(publisher, 'room', 300, 60_000, 2);
		await until(() => reader.messages.length === 300, 10_000);
		clearInterval(sampler);
		expect(logLines.some((line) => line.includes('slowest reader'))).toBe(true);
		expect(peak).toBeLessThanOrEqual(2 * 1024 * 1024);
		expect(reader.socket.readyState).toBe(WebSocket.OPEN);
	}, 20_000);

	it('limits how many frames a connection may send in a burst', async () => {
		await stop();
		let clock = 0;
		await start({ framesBurst: 5, framesPerSecond: 1, now: () => clock });
		const chatty = await connect();
		for (let i = 0; i < 20; i++) chatty.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => logLines.some((line) => line.includes('frames faster')));
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(chatty.messages.length).toBe(5);
		clock += 2000; // two seconds refill two frames
		for (let i = 0; i < 5; i++) chatty.socket.send(JSON.stringify({ type: 'ping' }));
		await until(() => chatty.messages.length === 7);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(chatty.messages.length).toBe(7);
	});

	it('limits the bytes one connection fans out, however many frames it sends', async () => {
		await stop();
		await start({ ...generous, fanoutBytesBurst: 100_000, fanoutBytesPerSecond: 1, now: () => 0 });
		const amplifier = await connect();
		const readers = await Promise.all(Array.from({ length: 10 }, () => connect()));
		for (const client of [amplifier, ...readers])
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		// Each frame costs ~5 KB × 11 subscribers ≈ 55 KB of fan-out: one fits in 100 KB.
		await flood(amplifier, 'room', 20, 5000);
		await until(() => logLines.some((line) => line.includes('its fan-out allowance')));
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(readers[0]?.messages.length).toBe(1);
	});

	it("shares fan-out fairly: one busy room cannot use up another room's", async () => {
		await stop();
		await start({ topicFanoutBytesBurst: 50_000, topicFanoutBytesPerSecond: 1, now: () => 0 });
		const busy = await Promise.all(Array.from({ length: 4 }, () => connect()));
		const quiet = await Promise.all(Array.from({ length: 2 }, () => connect()));
		for (const client of busy)
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['busy'] }));
		for (const client of quiet)
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['quiet'] }));
		await new Promise((resolve) => setTimeout(resolve, 50));
		// Every busy publisher is within its own allowance; together they exhaust the room's.
		for (const client of busy) await flood(client, 'busy', 10, 2000);
		await until(() => logLines.some((line) => line.includes("topic's fan-out allowance")));
		quiet[0]?.socket.send(JSON.stringify({ type: 'publish', topic: 'quiet', data: 'hi' }));
		await until(() => quiet[1]?.messages.length === 1);
		expect(busy[0]?.messages.length).toBeLessThan(40);
	});

	it('caps the subscribers of one topic', async () => {
		await stop();
		await start({ maxSubscribersPerTopic: 3 });
		const clients = await Promise.all(Array.from({ length: 5 }, () => connect()));
		for (const client of clients)
			client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await until(() => logLines.some((line) => line.includes('topic full')));
		clients[0]?.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1 }));
		await until(() => (clients[0]?.messages.length ?? 0) === 1);
		expect(clients[0]?.messages[0].clients).toBe(3);
	});

	it('caps connections per address, and in all', async () => {
		await stop();
		await start({ maxConnectionsPerAddress: 2, maxConnections: 3 });
		await connect();
		await connect();
		await expect(connect()).rejects.toThrow(/429/);
		await connect('127.0.0.2');
		await expect(connect('127.0.0.3')).rejects.toThrow(/503/);
		expect(logLines.some((line) => line.includes('refused connections from 127.0.0.1'))).toBe(true);
	});
});

/** @param {TestClient} client @param {string[]} topics @param {unknown} [peerIds] */
function subscribe(client, topics, peerIds) {
	client.socket.send(JSON.stringify({ type: 'subscribe', topics, peerIds }));
}

/** Let the server handle what was sent (frames from different sockets race). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('signaling server: frames addressed to one peer', () => {
	it('sends a frame naming a registered peer id to that subscriber only, without the name', async () => {
		const sender = await connect();
		const addressee = await connect();
		const bystander = await connect();
		subscribe(sender, ['room'], ['peer-s']);
		subscribe(addressee, ['room'], ['peer-a']);
		subscribe(bystander, ['room'], ['peer-b']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'x', to: 'peer-a' }));
		await until(() => addressee.messages.length === 1);
		await settle();
		expect(addressee.messages[0]).toEqual({
			type: 'publish',
			topic: 'room',
			data: 'x',
			clients: 3
		});
		expect(bystander.messages).toEqual([]);
		expect(sender.messages).toEqual([]);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 1, framesBroadcast: 0 });
	});

	it('broadcasts as before: announces, frames for an unregistered id, and stock clients', async () => {
		const ours = await connect();
		const stock = await connect();
		subscribe(ours, ['room'], ['peer-o']);
		stock.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		await settle();
		ours.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'announce' }));
		// A stock peer registers no id: a frame for it reaches it by broadcast, with `to` taken off.
		ours.socket.send(
			JSON.stringify({ type: 'publish', topic: 'room', data: 'offer', to: 'stock-peer' })
		);
		stock.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'stock' }));
		await until(() => ours.messages.length === 3 && stock.messages.length === 3);
		expect(stock.messages.map((message) => message.data)).toEqual(['announce', 'offer', 'stock']);
		expect(stock.messages.every((message) => !('to' in message))).toBe(true);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 0, framesBroadcast: 3 });
	});

	it("never gives a connection another's frames alone: a claimed id claimed again is broadcast", async () => {
		const victim = await connect();
		const thief = await connect();
		const sender = await connect();
		subscribe(victim, ['room'], ['victim']);
		subscribe(sender, ['room'], ['sender']);
		await settle();
		subscribe(thief, ['room'], ['victim']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'victim' }));
		await until(() => victim.messages.length === 1 && thief.messages.length === 1);
		expect(logLines.some((line) => line.includes('claimed by more than one'))).toBe(true);
		// Once the thief is gone the id is the victim's alone again.
		thief.socket.close();
		await thief.closed;
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 2, to: 'victim' }));
		await until(() => victim.messages.length === 2);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 1, framesBroadcast: 1 });
	});

	it('a thief that claims an id first cannot keep it from the connection that registers it later', async () => {
		const thief = await connect();
		const victim = await connect();
		const sender = await connect();
		subscribe(thief, ['room'], ['victim']);
		subscribe(sender, ['room'], ['sender']);
		await settle();
		subscribe(victim, ['room'], ['victim']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'victim' }));
		await until(() => victim.messages.length === 1);
	});

	it('keeps claims per topic: the same id in another room changes nothing here', async () => {
		const holder = await connect();
		const elsewhere = await connect();
		const sender = await connect();
		subscribe(holder, ['room'], ['peer-h']);
		subscribe(sender, ['room'], ['sender']);
		subscribe(elsewhere, ['other'], ['peer-h']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'peer-h' }));
		await until(() => holder.messages.length === 1);
		await settle();
		expect(elsewhere.messages).toEqual([]);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 1 });
	});

	it('holds one id per connection and topic: a second one is refused, the first kept', async () => {
		const holder = await connect();
		const sender = await connect();
		subscribe(holder, ['room'], ['first']);
		subscribe(sender, ['room'], ['sender']);
		await settle();
		// y-webrtc subscribes again after every closed link, with the same id: that is fine.
		subscribe(holder, ['room'], ['first']);
		subscribe(holder, ['room'], ['second']);
		await until(() => logLines.some((line) => line.includes('second peer id')));
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'first' }));
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 2, to: 'second' }));
		await until(() => holder.messages.length === 2);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 1, framesBroadcast: 1 });
		expect(logLines.filter((line) => line.includes('second peer id'))).toHaveLength(1);
	});

	it('lets an id go on unsubscribe and on close, so it can be registered again', async () => {
		const first = await connect();
		const second = await connect();
		const sender = await connect();
		subscribe(first, ['room'], ['peer']);
		subscribe(sender, ['room'], ['sender']);
		await settle();
		first.socket.send(JSON.stringify({ type: 'unsubscribe', topics: ['room'] }));
		subscribe(second, ['room'], ['peer']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'peer' }));
		await until(() => second.messages.length === 1);
		await settle();
		expect(first.messages).toEqual([]);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 1 });
	});

	it('registers an id sent with a later subscribe to a topic already joined', async () => {
		const holder = await connect();
		const other = await connect();
		const sender = await connect();
		holder.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
		subscribe(other, ['room'], ['other']);
		subscribe(sender, ['room'], ['sender']);
		await settle();
		subscribe(holder, ['room'], ['late']);
		await settle();
		sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 1, to: 'late' }));
		await until(() => holder.messages.length === 1);
		await settle();
		expect(other.messages).toEqual([]);
	});

	it('survives malformed peer ids and addresses, subscribing without them', async () => {
		const bad = await connect();
		const reader = await connect();
		subscribe(reader, ['room'], ['reader']);
		const peerIdLists = [
			'peer',
			{ 0: 'peer' },
			['a', 'b'],
			[],
			[42],
			[''],
			['x'.repeat(129)],
			[{}],
			[['nested']]
		];
		for (const peerIds of peerIdLists) subscribe(bad, ['room'], peerIds);
		await settle();
		const addresses = [42, '', 'x'.repeat(129), null, ['reader'], { id: 'reader' }, true];
		for (const to of addresses)
			bad.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'bad', to }));
		await settle();
		expect(reader.messages).toEqual([]);
		expect(logLines.filter((line) => line.includes('invalid peer ids'))).toHaveLength(
			peerIdLists.length
		);
		expect(logLines.filter((line) => line.includes('invalid address'))).toHaveLength(
			addresses.length
		);
		// Still subscribed (without an id), still served: its plain publish reaches the room.
		bad.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 'good' }));
		await until(() => reader.messages.length === 1);
		expect(bad.messages.map((message) => message.data)).toEqual(['good']);
		// None of those registered an id for it.
		reader.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: 2, to: 'peer' }));
		await until(() => bad.messages.length === 2);
	});

	it('takes ids that only look like object keys as plain strings', async () => {
		const holder = await connect();
		const other = await connect();
		subscribe(holder, ['__proto__', 'constructor'], ['__proto__', 'toString']);
		subscribe(other, ['__proto__', 'constructor'], [null, null]);
		await settle();
		other.socket.send(
			JSON.stringify({ type: 'publish', topic: '__proto__', data: 1, to: '__proto__' })
		);
		other.socket.send(
			JSON.stringify({ type: 'publish', topic: 'constructor', data: 2, to: 'toString' })
		);
		other.socket.send(
			JSON.stringify({ type: 'publish', topic: 'constructor', data: 3, to: 'hasOwnProperty' })
		);
		await until(() => holder.messages.length === 3);
		expect(signalingServer.stats()).toMatchObject({ framesRouted: 2, framesBroadcast: 1 });
	});
});

describe('signaling server limits on addressed frames', () => {
	it('counts a routed frame as one send against the fan-out allowances', async () => {
		await stop();
		await start({
			...generous,
			fanoutBytesBurst: 100_000,
			fanoutBytesPerSecond: 1,
			topicFanoutBytesBurst: 100_000,
			topicFanoutBytesPerSecond: 1,
			now: () => 0
		});
		const sender = await connect();
		const readers = await Promise.all(Array.from({ length: 10 }, () => connect()));
		subscribe(sender, ['room'], ['sender']);
		readers.forEach((reader, i) => subscribe(reader, ['room'], [`reader-${i}`]));
		await settle();
		// ~5 KB each: 15 routed frames are ~75 KB; broadcast, each would cost ~55 KB.
		const frame = JSON.stringify({
			type: 'publish',
			topic: 'room',
			data: 'x'.repeat(5000),
			to: 'reader-0'
		});
		for (let i = 0; i < 15; i++) sender.socket.send(frame);
		await until(() => readers[0]?.messages.length === 15);
		await settle();
		expect(readers[1]?.messages).toEqual([]);
		expect(logLines.some((line) => line.includes('fan-out allowance'))).toBe(false);
	});

	it('keeps the frame rate limit for addressed frames', async () => {
		await stop();
		await start({ framesBurst: 5, framesPerSecond: 1, now: () => 0 });
		const sender = await connect();
		const reader = await connect();
		subscribe(reader, ['room'], ['reader']);
		await settle();
		subscribe(sender, ['room'], ['sender']);
		for (let i = 0; i < 20; i++)
			sender.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data: i, to: 'reader' }));
		await until(() => logLines.some((line) => line.includes('frames faster')));
		await settle();
		expect(reader.messages.length).toBe(4);
	});
});
