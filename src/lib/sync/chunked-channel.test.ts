import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChunkBudget, deviceChunkBudget } from './chunk-budget';
import {
	ChunkedChannel,
	HIGH_WATER_MARK,
	MESSAGE_EXPIRED,
	V2_PREFIX,
	type RawDataChannel
} from './chunked-channel';
import { frameMessage, type ReassemblerLimits } from './chunking';

const MAX_MESSAGE = 256 * 1024;

/**
 * A pair of in-memory data channels that behave like Chromium's where it
 * matters: send() over 256 KiB throws, bytes sit in bufferedAmount until the
 * "network" drains them, and `bufferedamountlow` fires when crossing the
 * threshold. Overfilling the send buffer (16 MiB) closes the channel.
 */
class FakeChannel implements RawDataChannel {
	label = 'test';
	readyState = 'open';
	bufferedAmount = 0;
	bufferedAmountLowThreshold = 0;
	binaryType = 'blob';
	onopen: RawDataChannel['onopen'] = null;
	onclose: RawDataChannel['onclose'] = null;
	onerror: RawDataChannel['onerror'] = null;
	onmessage: RawDataChannel['onmessage'] = null;
	onbufferedamountlow: RawDataChannel['onbufferedamountlow'] = null;
	peer: FakeChannel | null = null;
	inFlight: Uint8Array[] = [];
	maxBuffered = 0;
	sends = 0;

	send(data: Uint8Array) {
		if (data.byteLength > MAX_MESSAGE) throw new TypeError('message too large');
		if (this.bufferedAmount + data.byteLength > 16 * 1024 * 1024) {
			this.close();
			throw new Error('send queue full');
		}
		this.sends += 1;
		this.inFlight.push(data.slice());
		this.bufferedAmount += data.byteLength;
		this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
	}
	close() {
		this.readyState = 'closed';
		this.onclose?.({});
	}
	/** Deliver up to `budget` bytes to the other side. */
	drain(budget: number) {
		while (this.inFlight.length > 0 && budget > 0) {
			const frame = this.inFlight.shift() as Uint8Array;
			budget -= frame.byteLength;
			const before = this.bufferedAmount;
			this.bufferedAmount -= frame.byteLength;
			this.peer?.onmessage?.({ data: frame.buffer });
			if (
				before > this.bufferedAmountLowThreshold &&
				this.bufferedAmount <= this.bufferedAmountLowThreshold
			) {
				this.onbufferedamountlow?.({});
			}
		}
	}
}

function pair(limits?: Partial<ReassemblerLimits>, budget?: ChunkBudget) {
	const a = new FakeChannel();
	const b = new FakeChannel();
	a.peer = b;
	b.peer = a;
	const received: Uint8Array[] = [];
	const errors: string[] = [];
	const sender = new ChunkedChannel(a);
	const receiver = new ChunkedChannel(b, {
		onProtocolError: (m, dropsLink) => errors.push(dropsLink ? `${m} (link dropped)` : m),
		limits,
		budget
	});
	receiver.onmessage = (event) => received.push(new Uint8Array(event.data));
	return { a, b, sender, receiver, received, errors };
}

/** Deep-equal on megabytes is slow in vitest; compare bytes directly. */
function same(x: Uint8Array | undefined, y: Uint8Array): boolean {
	return !!x && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y));
}

function bytes(length: number, seed: number): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = (i + seed) & 0xff;
	return out;
}

describe('chunked data channel', () => {
	it('carries a 5 MB message that a raw channel would refuse', () => {
		const { a, sender, received } = pair();
		const message = bytes(5_000_000, 3);
		expect(() => a.send(message)).toThrow(/too large/);
		sender.send(message);
		while (a.inFlight.length > 0) a.drain(64 * 1024);
		expect(received).toHaveLength(1);
		expect(same(received[0], message)).toBe(true);
	});

	it('applies back-pressure: never more than the high-water mark in the real buffer', () => {
		const { a, sender, received } = pair();
		for (let i = 0; i < 5; i++) sender.send(bytes(4_000_000, i));
		// Nothing drained yet: only up to the high-water mark went to the real channel.
		expect(a.bufferedAmount).toBeLessThanOrEqual(HIGH_WATER_MARK + 16 * 1024);
		expect(a.bufferedAmount).toBeGreaterThanOrEqual(HIGH_WATER_MARK);
		expect(sender.bufferedAmount).toBeGreaterThan(19_000_000);
		while (a.inFlight.length > 0) a.drain(100 * 1024);
		expect(a.maxBuffered).toBeLessThanOrEqual(HIGH_WATER_MARK + 16 * 1024);
		expect(received.map((m) => m.byteLength)).toEqual([4e6, 4e6, 4e6, 4e6, 4e6]);
		expect(same(received[4], bytes(4_000_000, 4))).toBe(true);
		expect(sender.bufferedAmount).toBe(0);
	});

	it('keeps message order for a mix of small and large messages', () => {
		const { a, sender, received } = pair();
		const messages = [bytes(10, 1), bytes(300_000, 2), bytes(20, 3), bytes(70_000, 4), bytes(1, 5)];
		for (const message of messages) sender.send(message);
		while (a.inFlight.length > 0) a.drain(50_000);
		expect(received).toHaveLength(messages.length);
		messages.forEach((message, i) => expect(same(received[i], message)).toBe(true));
	});

	it('reports garbage from a peer and keeps working', () => {
		const { a, b, sender, received, errors } = pair();
		b.onmessage?.({ data: new Uint8Array([42, 1, 2, 3]).buffer });
		sender.send(bytes(100, 1));
		a.drain(Infinity);
		expect(errors).toEqual(['unknown frame']);
		expect(received).toEqual([bytes(100, 1)]);
	});

	it('screens what goes to y-webrtc, and hands sync v2 messages on unscreened', () => {
		const inner = new FakeChannel();
		const problems: string[] = [];
		const delivered: Uint8Array[] = [];
		const diverted: Uint8Array[] = [];
		const channel = new ChunkedChannel(inner, {
			screen: (message) => (message[0] === 7 ? 'refused' : null),
			onProtocolError: (m, dropsLink) => problems.push(dropsLink ? `${m} (link dropped)` : m),
			divertsV2: true
		});
		channel.onmessage = (event) => delivered.push(new Uint8Array(event.data));
		channel.onDiverted = (message) => diverted.push(message.slice());
		for (const message of [
			[V2_PREFIX, 7, 7],
			[1, 2],
			[7, 1]
		]) {
			for (const frame of frameMessage(new Uint8Array(message), 1))
				inner.onmessage?.({ data: frame.slice().buffer });
		}
		expect(diverted).toEqual([new Uint8Array([7, 7])]);
		expect(delivered).toEqual([new Uint8Array([1, 2])]);
		expect(problems).toEqual(['refused (link dropped)']);
		expect(inner.readyState).toBe('closed');
	});

	it('carries no y-webrtc presence either way when sync v2 carries presence', () => {
		// y-webrtc relays every awareness update to every link; in a v2 room PRESENCE does it (v2/presence.ts).
		const inner = new FakeChannel();
		const delivered: Uint8Array[] = [];
		const channel = new ChunkedChannel(inner, { divertsV2: true, dropsPresence: true });
		channel.onmessage = (event) => delivered.push(new Uint8Array(event.data));
		const awareness = new Uint8Array([1, 3, 1, 2, 3]);
		const query = new Uint8Array([3]);
		const sync = new Uint8Array([0, 0, 1, 0]);
		for (const message of [awareness, query, sync]) channel.send(message);
		expect(inner.inFlight).toHaveLength(1);
		for (const message of [awareness, query, sync, new Uint8Array([V2_PREFIX, 7])])
			for (const frame of frameMessage(message, 1))
				inner.onmessage?.({ data: frame.slice().buffer });
		expect(delivered).toEqual([sync]);
		expect(inner.readyState).toBe('open');
	});

	it('carries no y-webrtc sync either way when sync v2 carries the space (a throwaway doc takes nothing)', () => {
		const inner = new FakeChannel();
		const delivered: Uint8Array[] = [];
		const problems: string[] = [];
		const channel = new ChunkedChannel(inner, {
			divertsV2: true,
			dropsYjsSync: true,
			onProtocolError: (message) => problems.push(message)
		});
		channel.onmessage = (event) => delivered.push(new Uint8Array(event.data));
		const step1 = new Uint8Array([0, 0, 1, 0]);
		const update = new Uint8Array([0, 2, 3, 1, 2, 3]);
		const peerId = new Uint8Array([4, 1, 97]);
		for (const message of [step1, update]) channel.send(message);
		expect(inner.inFlight).toHaveLength(0);
		for (const message of [step1, update, peerId])
			for (const frame of frameMessage(message, 1))
				inner.onmessage?.({ data: frame.slice().buffer });
		expect(delivered).toEqual([peerId]);
		expect(problems).toEqual([]);
		expect(inner.readyState).toBe('open');
	});

	it('throws on send when closed, like a real channel, and drops its queue on close', () => {
		const { a, sender } = pair();
		sender.send(bytes(3_000_000, 1));
		a.close();
		// Only what the real channel already held remains counted.
		expect(sender.bufferedAmount).toBe(a.bufferedAmount);
		expect(() => sender.send(bytes(1, 1))).toThrow(/not open/);
	});
});

describe('a peer that parks unfinished messages', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	/** All but the last chunk of a message, straight onto the receiving side. */
	function parkHalf(b: FakeChannel, messageId: number, size: number) {
		const frames = frameMessage(bytes(size, messageId), messageId, 16 * 1024);
		for (const frame of frames.slice(0, -1)) b.onmessage?.({ data: frame.slice().buffer });
	}

	it('loses the channel, with a reason, when its unfinished messages pass the budget', () => {
		const { a, b, receiver, received, errors } = pair({ maxPendingBytes: 1024 * 1024 });
		let closed = 0;
		receiver.onclose = () => (closed += 1);
		for (let id = 1; id <= 8 && b.readyState === 'open'; id++) parkHalf(b, id, 300_000);
		expect(errors).toEqual(['unfinished messages over budget (link dropped)']);
		expect(b.readyState).toBe('closed');
		expect(closed).toBe(1);
		expect(received).toEqual([]);
		expect(() => a.drain(Infinity)).not.toThrow();
	});

	it('keeps a message whose sender paused for ten minutes, while there is room', () => {
		vi.useFakeTimers();
		let now = 1_000_000;
		const { a, b, sender, received, errors } = pair({}, new ChunkBudget({}, () => now));
		const message = bytes(100_000, 4);
		const frames = frameMessage(message, 7, 16 * 1024);
		for (const frame of frames.slice(0, 3)) b.onmessage?.({ data: frame.slice().buffer });
		// A phone's screen went off mid-message.
		now += 10 * 60_000;
		vi.advanceTimersByTime(10 * 60_000);
		for (const frame of frames.slice(3)) b.onmessage?.({ data: frame.slice().buffer });
		expect(errors).toEqual([]);
		expect(received).toHaveLength(1);
		expect(same(received[0], message)).toBe(true);
		sender.send(bytes(10, 1));
		a.drain(Infinity);
		expect(received).toHaveLength(2);
	});
});

describe('the unfinished data of all the links of one device', () => {
	const KIB = 1024;

	/** A receiving link on `budget`: its problems, whether it closed, what it delivered. */
	function link(budget: ChunkBudget, perLink: number) {
		const inner = new FakeChannel();
		const problems: string[] = [];
		const received: Uint8Array[] = [];
		const channel = new ChunkedChannel(inner, {
			limits: { maxPendingBytes: perLink },
			budget,
			onProtocolError: (m, dropsLink) => problems.push(dropsLink ? `${m} (link dropped)` : m)
		});
		channel.onmessage = (event) => received.push(new Uint8Array(event.data));
		const deliver = (frames: Uint8Array[]) => {
			for (const frame of frames) {
				if (inner.readyState !== 'open') return;
				inner.onmessage?.({ data: frame.slice().buffer });
			}
		};
		return { inner, channel, problems, received, deliver };
	}

	/** The frames of a message of `size` bytes, all but its last. */
	function unfinished(id: number, size: number): Uint8Array[] {
		return frameMessage(bytes(size, id), id, 16 * KIB).slice(0, -1);
	}

	it('is one budget: links that each stay within their share cannot together pass it', () => {
		const budget = new ChunkBudget({ maxBytes: 3000 * KIB });
		// One member with six peer ids: six links, each parking under its share.
		const links = Array.from({ length: 6 }, () => link(budget, 1000 * KIB));
		links.forEach((each, i) => each.deliver(unfinished(i + 1, 900 * KIB)));
		expect(budget.held).toBeLessThanOrEqual(3000 * KIB);
		const dropped = links.filter((each) => each.inner.readyState === 'closed');
		expect(dropped.length).toBeGreaterThanOrEqual(3);
		for (const each of dropped)
			expect(each.problems).toEqual(['unfinished messages over budget (link dropped)']);
	});

	it('drops the link that holds the most, and the link that asked for room goes on', () => {
		const budget = new ChunkBudget({ maxBytes: 3000 * KIB });
		const hostile = link(budget, 2500 * KIB);
		const honest = link(budget, 2500 * KIB);
		hostile.deliver(unfinished(1, 2400 * KIB));
		const message = bytes(1000 * KIB, 9);
		honest.deliver(frameMessage(message, 2, 16 * KIB));
		expect(hostile.inner.readyState).toBe('closed');
		expect(hostile.problems).toEqual(['unfinished messages over budget (link dropped)']);
		expect(honest.problems).toEqual([]);
		expect(same(honest.received[0], message)).toBe(true);
		expect(budget.held).toBe(0);
	});

	it('throws away the longest-idle unfinished messages first, before any link is dropped', () => {
		let now = 0;
		const budget = new ChunkBudget({ maxBytes: 3000 * KIB, idleAfterMs: 60_000 }, () => now);
		const paused = link(budget, 2000 * KIB);
		const pausedLess = link(budget, 2000 * KIB);
		const active = link(budget, 2000 * KIB);
		paused.deliver(unfinished(1, 1000 * KIB));
		now += 30_000;
		pausedLess.deliver(unfinished(2, 1000 * KIB));
		now += 90_000;
		const message = bytes(1500 * KIB, 3);
		active.deliver(frameMessage(message, 3, 16 * KIB));
		expect(same(active.received[0], message)).toBe(true);
		expect(paused.problems).toEqual([MESSAGE_EXPIRED]);
		expect(pausedLess.problems).toEqual([]);
		for (const each of [paused, pausedLess, active]) expect(each.inner.readyState).toBe('open');
		// The one that paused less can still finish.
		pausedLess.deliver(frameMessage(bytes(1000 * KIB, 2), 2, 16 * KIB).slice(-1));
		expect(pausedLess.received).toHaveLength(1);
	});

	it('is one for the whole device unless a test gives its own', () => {
		const before = deviceChunkBudget.held;
		const first = new ChunkedChannel(new FakeChannel());
		const second = new ChunkedChannel(new FakeChannel());
		for (const [channel, id] of [
			[first, 1],
			[second, 2]
		] as const) {
			for (const frame of unfinished(id, 100 * KIB))
				channel.inner.onmessage?.({ data: frame.slice().buffer });
		}
		expect(deviceChunkBudget.held - before).toBeGreaterThan(190 * KIB);
		first.close();
		second.close();
		expect(deviceChunkBudget.held).toBe(before);
	});
});
