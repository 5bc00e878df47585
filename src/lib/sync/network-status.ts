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
	/** Member ids seen through presence on linked peers. */
	presentMembers: string[];
}

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
	#timer: ReturnType<typeof setInterval>;

	constructor(provider: WebrtcProvider, checkEveryMs = 1000) {
		this.#provider = provider;
		this.#snapshot = this.#read();
		provider.on('peers', this.#refresh);
		provider.on('status', this.#refresh);
		provider.on('synced', this.#refresh);
		provider.awareness.on('change', this.#refresh);
		this.#watchSockets();
		this.#timer = setInterval(this.#refresh, checkEveryMs);
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
		const ownClient = this.#provider.awareness.clientID;
		this.#provider.awareness.getStates().forEach((state, clientId) => {
			if (clientId !== ownClient && typeof state?.member === 'string') members.add(state.member);
		});
		return {
			syncing,
			webrtcPeers: room
				? [...room.webrtcConns.values()].filter((conn) => conn.connected).length
				: 0,
			tabPeers: room ? room.bcConns.size : 0,
			signalingConnected: sockets.filter((socket) => socket.connected).length,
			signalingTotal: syncing ? this.#provider.signalingUrls.length : 0,
			presentMembers: [...members].sort()
		};
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
