// Retries WebRTC links that y-webrtc would leave stuck forever. When two
// peers announce at the same instant, y-webrtc's offer-glare handling can
// leave a connection that never opens, and it never retries; simple-peer
// also keeps links whose ICE went "disconnected" (simple-peer #27, #553),
// which still count toward maxConns. Destroying such a link makes y-webrtc
// drop it and announce again, and a random delay per link keeps two peers
// from colliding a second time.

interface WatchedPeer {
	destroy(): void;
	_pc?: { iceConnectionState?: string };
}
interface WatchedConn {
	connected: boolean;
	closed: boolean;
	peer: WatchedPeer;
}
export interface WatchedProvider {
	room: { webrtcConns: Map<string, WatchedConn> } | null;
}

export interface WatchdogOptions {
	/** A link that has not opened after this long is retried. */
	openWithinMs: number;
	/** A link whose ICE stays disconnected this long is retried. */
	disconnectedForMs: number;
	/** Up to this much random extra wait per link. */
	jitterMs: number;
	checkEveryMs: number;
	random: () => number;
	now: () => number;
}

export const WATCHDOG_DEFAULTS: WatchdogOptions = {
	openWithinMs: 10_000,
	disconnectedForMs: 15_000,
	jitterMs: 5_000,
	checkEveryMs: 2_000,
	random: Math.random,
	now: () => Date.now()
};

export class LinkWatchdog {
	#provider: WatchedProvider;
	#options: WatchdogOptions;
	#deadlines = new Map<WatchedConn, number>();
	#timer: ReturnType<typeof setInterval> | null;
	retried = 0;

	constructor(provider: WatchedProvider, options: Partial<WatchdogOptions> = {}) {
		this.#provider = provider;
		this.#options = { ...WATCHDOG_DEFAULTS, ...options };
		this.#timer =
			this.#options.checkEveryMs > 0
				? setInterval(() => this.check(), this.#options.checkEveryMs)
				: null;
	}

	#isUnhealthy(conn: WatchedConn): 'opening' | 'disconnected' | null {
		if (conn.closed) return null;
		if (!conn.connected) return 'opening';
		const state = conn.peer._pc?.iceConnectionState;
		return state === 'disconnected' || state === 'failed' ? 'disconnected' : null;
	}

	check(): void {
		const conns = new Set(this.#provider.room?.webrtcConns.values() ?? []);
		for (const conn of this.#deadlines.keys()) {
			if (!conns.has(conn)) this.#deadlines.delete(conn);
		}
		const now = this.#options.now();
		for (const conn of conns) {
			const problem = this.#isUnhealthy(conn);
			if (!problem) {
				this.#deadlines.delete(conn);
				continue;
			}
			const deadline = this.#deadlines.get(conn);
			if (deadline === undefined) {
				const grace =
					problem === 'opening' ? this.#options.openWithinMs : this.#options.disconnectedForMs;
				this.#deadlines.set(conn, now + grace + this.#options.random() * this.#options.jitterMs);
			} else if (now >= deadline) {
				this.#deadlines.delete(conn);
				this.retried += 1;
				conn.peer.destroy();
			}
		}
	}

	destroy(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#deadlines.clear();
	}
}
