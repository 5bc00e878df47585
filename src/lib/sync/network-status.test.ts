import { describe, expect, it } from 'vitest';
import type { WebrtcProvider } from 'y-webrtc';
import { NetworkStatus } from './network-status';

/** Just enough of a y-webrtc provider: rooms, conns, signaling sockets, awareness. */
function fakeProvider() {
	const listeners = () => ({ on() {}, off() {} });
	const conns = new Map<string, { connected: boolean }>();
	const socket = { url: 'ws://x/signal', connected: true, ...listeners() };
	const states = new Map<number, unknown>([
		[1, { member: 'me' }],
		[2, { member: 'member-ben' }],
		// Relays (sync v2) say their host, not a member; peers' text, so kept short.
		[3, { relay: '  depot-laptop ' }],
		[4, { relay: 'x'.repeat(500) }],
		[5, { relay: 7 }],
		[6, { relay: '   ' }]
	]);
	const provider = {
		connected: true,
		room: { webrtcConns: conns, bcConns: new Set<string>() },
		signalingConns: [socket],
		signalingUrls: ['ws://x/signal'],
		awareness: { clientID: 1, getStates: () => states, ...listeners() },
		...listeners()
	};
	return { provider, conns, socket };
}

describe('network status', () => {
	it('counts linked and connecting peers, signaling and presence', () => {
		const { provider, conns } = fakeProvider();
		conns.set('a', { connected: true });
		conns.set('b', { connected: false });
		const status = new NetworkStatus(provider as unknown as WebrtcProvider, 0);
		expect(status.snapshot).toMatchObject({
			syncing: true,
			webrtcPeers: 1,
			connectingPeers: 1,
			signalingConnected: 1,
			signalingTotal: 1,
			presentMembers: ['member-ben'],
			presentRelays: ['depot-laptop', 'x'.repeat(60)],
			linkTrouble: false
		});
		status.destroy();
	});

	it('names the signaling servers it cannot reach, after a grace for connecting', () => {
		const { provider, socket } = fakeProvider();
		provider.signalingUrls = ['ws://x/signal', 'wss://far.example/signal'];
		let time = 0;
		const status = new NetworkStatus(provider as unknown as WebrtcProvider, 0, () => time);
		const at = (ms: number) => {
			time = ms;
			status.refresh();
			return status.snapshot.signalingUnreachable;
		};
		// Just opened: the far server is still connecting, which is no alarm.
		expect(at(0)).toEqual([]);
		expect(at(4_000)).toEqual([]);
		expect(at(5_000)).toEqual(['wss://far.example/signal']);
		socket.connected = false;
		expect(at(6_000)).toEqual(['wss://far.example/signal']);
		expect(at(11_000)).toEqual(['ws://x/signal', 'wss://far.example/signal']);
		socket.connected = true;
		expect(at(12_000)).toEqual(['wss://far.example/signal']);
		provider.connected = false;
		expect(at(13_000)).toEqual([]);
		status.destroy();
	});

	it('reports link trouble when a found peer stays unlinked across watchdog retries', () => {
		const { provider, conns } = fakeProvider();
		let time = 0;
		const status = new NetworkStatus(provider as unknown as WebrtcProvider, 0, () => time);
		const tick = (ms: number, connecting: boolean) => {
			time = ms;
			if (connecting) conns.set('stuck', { connected: false });
			else conns.delete('stuck');
			status.refresh();
			return status.snapshot;
		};
		expect(tick(0, true).linkTrouble).toBe(false);
		// The watchdog drops the link and y-webrtc retries: connecting blinks to zero.
		tick(11_000, false);
		tick(12_000, true);
		expect(tick(16_000, true).linkTrouble).toBe(true);
		// A quiet half minute with nobody trying clears it.
		expect(tick(50_000, false).linkTrouble).toBe(false);
		status.destroy();
	});

	it('raises no alarm for a link that simply took a moment to open', () => {
		const { provider, conns } = fakeProvider();
		let time = 0;
		const status = new NetworkStatus(provider as unknown as WebrtcProvider, 0, () => time);
		const at = (ms: number) => {
			time = ms;
			status.refresh();
			return status.snapshot.linkTrouble;
		};
		conns.set('new', { connected: false });
		expect(at(0)).toBe(false);
		conns.set('new', { connected: true });
		for (const ms of [1_500, 10_000, 16_000, 20_000, 31_000])
			expect(at(ms), `at ${ms} ms`).toBe(false);
		// A second device that cannot link, while the first stays linked: trouble after a while.
		conns.set('stuck', { connected: false });
		expect(at(32_000)).toBe(false);
		expect(at(49_000)).toBe(true);
		status.destroy();
	});

	it('shows nobody as here while this device has paused sync', () => {
		const { provider } = fakeProvider();
		const status = new NetworkStatus(provider as unknown as WebrtcProvider, 0);
		expect(status.snapshot.presentMembers).toEqual(['member-ben']);
		provider.connected = false;
		status.refresh();
		expect(status.snapshot.presentMembers).toEqual([]);
		status.destroy();
	});
});
