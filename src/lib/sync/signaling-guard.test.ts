import wrtc from '@roamhq/wrtc';
import { describe, expect, it } from 'vitest';
import type { WebrtcProvider } from 'y-webrtc';
import { boundMesh } from './bounded-mesh';
import { decryptSignalingPayload, guardSignaling, readSignalingMessage } from './signaling-guard';

describe('readSignalingMessage', () => {
	it('accepts the two messages y-webrtc sends', () => {
		expect(readSignalingMessage({ type: 'announce', from: 'a' })).toEqual({
			type: 'announce',
			from: 'a',
			to: undefined
		});
		const signal = { type: 'offer', sdp: 'v=0' };
		expect(readSignalingMessage({ type: 'signal', from: 'a', to: 'b', token: 3, signal })).toEqual({
			type: 'signal',
			from: 'a',
			to: 'b',
			token: 3,
			signal
		});
	});

	it.each([
		null,
		42,
		'announce',
		[],
		{},
		{ type: 'announce' },
		{ type: 'announce', from: '' },
		{ type: 'announce', from: 7 },
		{ type: 'announce', from: 'x'.repeat(129) },
		{ type: 'announce', from: 'a', to: 5 },
		{ type: 'signal', from: 'a' },
		{ type: 'signal', from: 'a', signal: 'not json' },
		{ type: 'signal', from: 'a', signal: [] },
		{ type: 'signal', from: 'a', signal: { type: 5 } },
		{ type: 'launch', from: 'a' }
	])('drops %j', (value) => {
		expect(readSignalingMessage(value)).toBeNull();
	});
});

describe('decryptSignalingPayload', () => {
	it('rejects (never throws synchronously) on anything that is not a sealed frame', async () => {
		const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'decrypt'
		]);
		const envelope = Buffer.concat([
			Buffer.from([7]),
			Buffer.from('AES-GCM'),
			Buffer.from([12]),
			Buffer.alloc(12),
			Buffer.from([16]),
			Buffer.alloc(16)
		]).toString('base64');
		for (const text of ['', 'AAAA', '////', 'not base64!', envelope]) {
			await expect(decryptSignalingPayload(text, key)).rejects.toThrow();
		}
	});
});

/**
 * A provider with one signaling socket, enough for the guard: frames are
 * handed to the guard's handler, links are real simple-peer connections
 * (@roamhq/wrtc) that never get an answer.
 */
function fakeRoom(peerId: string, bounded: boolean) {
	const observers = new Map<string, Set<(...args: unknown[]) => void>>();
	const sent: unknown[] = [];
	const socket = {
		providers: new Set<unknown>(),
		_observers: observers,
		connected: true,
		on(name: string, handler: (...args: unknown[]) => void) {
			if (!observers.has(name)) observers.set(name, new Set());
			observers.get(name)!.add(handler);
		},
		off(name: string, handler: (...args: unknown[]) => void) {
			observers.get(name)?.delete(handler);
		},
		send(message: unknown) {
			sent.push(message);
		}
	};
	const provider = {
		maxConns: 20,
		peerOpts: { wrtc },
		signalingConns: [socket],
		emit() {},
		room: null as unknown
	};
	const room = {
		name: 'room',
		key: null,
		peerId,
		webrtcConns: new Map<string, { peer: { destroy(): void } }>(),
		bcConns: new Set<string>(),
		provider
	};
	provider.room = room;
	socket.providers.add(provider);
	if (bounded) boundMesh(provider);
	guardSignaling(provider as unknown as WebrtcProvider);
	return {
		room,
		socket,
		sent,
		/** A frame arriving from the signaling server; resolves once the guard acted on it. */
		async receive(data: unknown) {
			for (const handler of observers.get('message') ?? [])
				handler({ type: 'publish', topic: 'room', data });
			await new Promise((resolve) => setTimeout(resolve, 20));
		},
		close() {
			for (const conn of room.webrtcConns.values()) conn.peer.destroy();
		}
	};
}

describe('a device linking as y-webrtc does, in a room with bounded-mesh devices', () => {
	// The relay: a bounded-mesh device with the higher id will not offer to it,
	// and asks it to offer instead. It used to ignore that, so the two never linked.
	it('offers a link when a bounded-mesh device with a higher id asks for one', async () => {
		const relay = fakeRoom('1111', false);
		try {
			await relay.receive({ type: 'here', from: 'ffff', to: '1111', wants: true });
			expect([...relay.room.webrtcConns.keys()]).toEqual(['ffff']);
		} finally {
			relay.close();
		}
	});

	it('ignores a here that asks nothing, or is addressed to someone else', async () => {
		const relay = fakeRoom('1111', false);
		try {
			await relay.receive({ type: 'here', from: 'ffff', to: '1111', wants: false });
			await relay.receive({ type: 'here', from: 'eeee', to: '2222', wants: true });
			expect(relay.room.webrtcConns.size).toBe(0);
		} finally {
			relay.close();
		}
	});

	it('and the bounded-mesh device with the higher id asks, rather than offering', async () => {
		const device = fakeRoom('ffff', true);
		try {
			await device.receive({ type: 'announce', from: '1111' });
			expect(device.room.webrtcConns.size).toBe(0);
			await new Promise((resolve) => setTimeout(resolve, 50));
			const asked = device.sent.map((frame) => (frame as { data: unknown }).data);
			expect(asked).toContainEqual({ type: 'here', from: 'ffff', to: '1111', wants: true });
		} finally {
			device.close();
		}
	});
});

/** Resolves once `condition` holds, polling; fails the test after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for condition');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

type SentFrame = { type?: string; to?: unknown; data?: { type?: string; to?: string } };

describe('addressing signaling frames for the server to route', () => {
	it("names the room's peer id on every subscribe y-webrtc sends, and leaves publishes for all alone", () => {
		const device = fakeRoom('1111', true);
		// What y-webrtc's SignalingConn sends on connect: every room of the page, in one frame.
		device.socket.send({ type: 'subscribe', topics: ['room', 'another-providers-room'] });
		// An announce: y-webrtc seals it and publishes it for everyone.
		device.socket.send({ type: 'publish', topic: 'room', data: 'sealed' });
		device.socket.send({ type: 'unsubscribe', topics: ['room'] });
		expect(device.sent).toEqual([
			{ type: 'subscribe', topics: ['room', 'another-providers-room'], peerIds: ['1111', null] },
			{ type: 'publish', topic: 'room', data: 'sealed' },
			{ type: 'unsubscribe', topics: ['room'] }
		]);
	});

	it('leaves a subscribe it cannot read as it is', () => {
		const device = fakeRoom('1111', true);
		device.socket.send({ type: 'subscribe', topics: 'room' });
		device.socket.send('not a frame');
		expect(device.sent).toEqual([{ type: 'subscribe', topics: 'room' }, 'not a frame']);
	});

	it("publishes a link's offer with the peer it is for, outside the payload", async () => {
		const relay = fakeRoom('1111', false);
		try {
			await relay.receive({ type: 'here', from: 'ffff', to: '1111', wants: true });
			const signals = () =>
				(relay.sent as SentFrame[]).filter((frame) => frame.data?.type === 'signal');
			await until(() => signals().length > 0);
			for (const frame of signals()) {
				expect(frame.type).toBe('publish');
				expect(frame.to).toBe('ffff');
				expect(frame.data?.to).toBe('ffff');
			}
		} finally {
			relay.close();
		}
	});

	it("publishes the bounded mesh's here with its addressee", async () => {
		const device = fakeRoom('ffff', true);
		try {
			await device.receive({ type: 'announce', from: '1111' });
			await until(() => device.sent.length > 0);
			const here = (device.sent as SentFrame[]).find((frame) => frame.data?.type === 'here');
			expect(here).toMatchObject({ type: 'publish', topic: 'room', to: '1111' });
		} finally {
			device.close();
		}
	});
});
