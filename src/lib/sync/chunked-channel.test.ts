import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChunkedChannel, HIGH_WATER_MARK, type RawDataChannel } from './chunked-channel';
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

function pair(limits?: Partial<ReassemblerLimits>) {
	const a = new FakeChannel();
	const b = new FakeChannel();
	a.peer = b;
	b.peer = a;
	const received: Uint8Array[] = [];
	const errors: string[] = [];
	const sender = new ChunkedChannel(a);
	const receiver = new ChunkedChannel(b, {
		onProtocolError: (m, dropsLink) => errors.push(dropsLink ? `${m} (link dropped)` : m),
		limits
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

	it('throws away a message whose next chunk never comes, and still takes the next one', () => {
		vi.useFakeTimers();
		const { a, b, sender, received, errors } = pair();
		parkHalf(b, 99, 100_000);
		vi.advanceTimersByTime(120_000);
		expect(errors).toEqual(['unfinished message expired']);
		sender.send(bytes(100_000, 4));
		while (a.inFlight.length > 0) a.drain(64 * 1024);
		expect(received).toHaveLength(1);
		expect(same(received[0], bytes(100_000, 4))).toBe(true);
		expect(b.readyState).toBe('open');
	});
});
