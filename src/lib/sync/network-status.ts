// What the sync indicator shows about the network: how many peers are
// linked, and whether any signaling server is reachable. Built from
// y-webrtc's own events and its signaling sockets' connect/disconnect, plus
// a once-a-second check: y-webrtc emits no event when a data channel
// actually opens, and some of its peer events are spurious (#23).
import type { WebrtcProvider } from 'y-webrtc';

export interface NetworkSnapshot {
	syncing: boolean;
	webrtcPeers: number;
	tabPeers: number;
	signalingConnected: number;
	signalingTotal: number;
	/**
	 * The signaling servers that have not answered for a few seconds (empty
	 * while sync is paused): a socket still connecting is no alarm.
	 */
	signalingUnreachable: string[];
	/** Peers found through signaling whose direct link has not opened yet. */
	connectingPeers: number;
	/** True when some peer has been found but unreachable for a while (client isolation, no multicast). */
	linkTrouble: boolean;
	/** Member ids seen through presence on linked peers. */
	presentMembers: string[];
	/** Relays seen through presence (sync v2: a relay is no member), by the host name each gives. */
	presentRelays: string[];
}

/** A relay's host name as shown: untrusted text from a peer, so short. */
const MAX_RELAY_NAME = 60;

/** How long a found peer may stay unlinked before the user is told. */
export const LINK_TROUBLE_AFTER_MS = 15_000;
/** A signaling server is called unreachable after this long without a connection. */
export const SIGNALING_GRACE_MS = 5_000;
/** Every found peer linked for this long ends a trouble episode (watchdog retries are quicker). */
const ALL_LINKED_CLEARS_AFTER_MS = 5_000;

interface SignalingSocket {
	url: string;
	connected: boolean;
	on(event: 'connect' | 'disconnect', listener: () => void): void;
	off(event: 'connect' | 'disconnect', listener: () => void): void;
}

export class NetworkStatus {
	#provider: WebrtcProvider;
	#listeners = new Set<() => void>();
	#watched = new Set<SignalingSocket>();
	#snapshot: NetworkSnapshot;
	#timer: ReturnType<typeof setInterval> | undefined;
	#now: () => number;
	/** When a found peer first failed to link, and when one was last seen trying. */
	#troubleSince: number | null = null;
	#lastConnectingAt = 0;
	/** Since when each signaling server has been without a connected socket. */
	#downSince = new Map<string, number>();

	constructor(provider: WebrtcProvider, checkEveryMs = 1000, now: () => number = Date.now) {
		this.#provider = provider;
		this.#now = now;
		this.#snapshot = this.#read();
		provider.on('peers', this.#refresh);
		provider.on('status', this.#refresh);
		provider.on('synced', this.#refresh);
		provider.awareness.on('change', this.#refresh);
		this.#watchSockets();
		if (checkEveryMs > 0) this.#timer = setInterval(this.#refresh, checkEveryMs);
	}

	/** Re-read now (it also happens on y-webrtc events and once a second). */
	refresh(): void {
		this.#refresh();
	}

	get snapshot(): NetworkSnapshot {
		return this.#snapshot;
	}

	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#sockets(): SignalingSocket[] {
		return [...new Set(this.#provider.signalingConns as unknown as SignalingSocket[])];
	}

	#watchSockets(): void {
		// Sockets are replaced when sync is paused and resumed: follow the current ones.
		const current = new Set(this.#sockets());
		for (const socket of this.#watched) {
			if (current.has(socket)) continue;
			socket.off('connect', this.#refresh);
			socket.off('disconnect', this.#refresh);
			this.#watched.delete(socket);
		}
		for (const socket of current) {
			if (this.#watched.has(socket)) continue;
			socket.on('connect', this.#refresh);
			socket.on('disconnect', this.#refresh);
			this.#watched.add(socket);
		}
	}

	#read(): NetworkSnapshot {
		const room = this.#provider.room;
		const syncing = this.#provider.connected;
		const sockets = syncing ? this.#sockets() : [];
		const members = new Set<string>();
		const relays = new Set<string>();
		const ownClient = this.#provider.awareness.clientID;
		this.#provider.awareness.getStates().forEach((state, clientId) => {
			if (clientId === ownClient) return;
			if (typeof state?.member === 'string') members.add(state.member);
			else if (typeof state?.relay === 'string' && state.relay.trim())
				relays.add(state.relay.trim().slice(0, MAX_RELAY_NAME));
		});
		const conns = room ? [...room.webrtcConns.values()] : [];
		const connected = conns.filter((conn) => conn.connected).length;
		const connecting = syncing ? conns.length - connected : 0;
		// The watchdog drops and retries a stuck link every 10-15 s, so "connecting"
		// blinks to zero between tries: a quiet half minute clears the trouble, and
		// so does every found peer being linked for a few seconds (a link that just
		// took a moment to open is no trouble at all).
		const now = this.#now();
		if (connecting > 0) {
			this.#troubleSince ??= now;
			this.#lastConnectingAt = now;
		} else if (
			now - this.#lastConnectingAt > 2 * LINK_TROUBLE_AFTER_MS ||
			(connected > 0 && now - this.#lastConnectingAt > ALL_LINKED_CLEARS_AFTER_MS)
		) {
			this.#troubleSince = null;
		}
		return {
			syncing,
			webrtcPeers: connected,
			connectingPeers: connecting,
			linkTrouble:
				syncing &&
				this.#troubleSince !== null &&
				now - this.#lastConnectingAt <= 2 * LINK_TROUBLE_AFTER_MS &&
				now - this.#troubleSince > LINK_TROUBLE_AFTER_MS,
			tabPeers: room ? room.bcConns.size : 0,
			signalingConnected: sockets.filter((socket) => socket.connected).length,
			signalingTotal: syncing ? this.#provider.signalingUrls.length : 0,
			signalingUnreachable: this.#unreachable(syncing, sockets, now),
			// Presence lingers in awareness for 30 s after a pause; nobody is "here" then.
			presentMembers: syncing ? [...members].sort() : [],
			presentRelays: syncing ? [...relays].sort() : []
		};
	}

	/** The servers with no connected socket for SIGNALING_GRACE_MS, by address. */
	#unreachable(syncing: boolean, sockets: SignalingSocket[], now: number): string[] {
		if (!syncing) {
			this.#downSince.clear();
			return [];
		}
		const connected = new Set(sockets.filter((socket) => socket.connected).map((s) => s.url));
		const down: string[] = [];
		for (const url of this.#provider.signalingUrls) {
			if (connected.has(url)) {
				this.#downSince.delete(url);
				continue;
			}
			const since = this.#downSince.get(url) ?? now;
			this.#downSince.set(url, since);
			if (now - since >= SIGNALING_GRACE_MS) down.push(url);
		}
		return down.sort();
	}

	#refresh = (): void => {
		this.#watchSockets();
		const next = this.#read();
		if (JSON.stringify(next) === JSON.stringify(this.#snapshot)) return;
		this.#snapshot = next;
		for (const listener of this.#listeners) listener();
	};

	destroy(): void {
		clearInterval(this.#timer);
		this.#provider.off('peers', this.#refresh);
		this.#provider.off('status', this.#refresh);
		this.#provider.off('synced', this.#refresh);
		this.#provider.awareness.off('change', this.#refresh);
		for (const socket of this.#watched) {
			socket.off('connect', this.#refresh);
			socket.off('disconnect', this.#refresh);
		}
		this.#watched.clear();
		this.#listeners.clear();
	}
}
