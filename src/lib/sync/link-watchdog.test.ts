import { describe, expect, it } from 'vitest';
import { LinkWatchdog, type WatchedProvider } from './link-watchdog';

function conn(connected: boolean, ice = 'connected') {
	const link = {
		connected,
		closed: false,
		destroyed: 0,
		peer: {
			_pc: { iceConnectionState: ice },
			destroy() {
				link.destroyed += 1;
			}
		}
	};
	return link;
}

function setup(conns: ReturnType<typeof conn>[]) {
	let time = 0;
	const provider: WatchedProvider = {
		room: { webrtcConns: new Map(conns.map((c, i) => [`peer-${i}`, c])) }
	};
	const watchdog = new LinkWatchdog(provider, {
		checkEveryMs: 0,
		openWithinMs: 10_000,
		disconnectedForMs: 15_000,
		jitterMs: 5_000,
		random: () => 0.5,
		now: () => time
	});
	return {
		watchdog,
		at(ms: number) {
			time = ms;
			watchdog.check();
		}
	};
}

describe('link watchdog', () => {
	it('retries a link that never opens, after the grace period plus jitter', () => {
		const stuck = conn(false);
		const { at, watchdog } = setup([stuck]);
		at(0);
		at(12_000);
		expect(stuck.destroyed).toBe(0);
		at(12_600);
		expect(stuck.destroyed).toBe(1);
		expect(watchdog.retried).toBe(1);
	});

	it('leaves healthy links alone and forgets a link once it opens', () => {
		const healthy = conn(true);
		const slow = conn(false);
		const { at } = setup([healthy, slow]);
		at(0);
		slow.connected = true;
		at(30_000);
		expect(healthy.destroyed).toBe(0);
		expect(slow.destroyed).toBe(0);
	});

	it('retries a link whose ICE stays disconnected', () => {
		const dead = conn(true, 'disconnected');
		const { at } = setup([dead]);
		at(0);
		at(15_000);
		expect(dead.destroyed).toBe(0);
		at(17_600);
		expect(dead.destroyed).toBe(1);
	});

	it('does nothing before the room exists', () => {
		const watchdog = new LinkWatchdog({ room: null }, { checkEveryMs: 0 });
		expect(() => watchdog.check()).not.toThrow();
	});
});
