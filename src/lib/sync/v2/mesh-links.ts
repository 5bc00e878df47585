// y-webrtc's peer connections as links of the v2 engine (docs/sync-protocol.md,
// "Every transport carries the same logs"). y-webrtc keeps signaling, rooms
// and connections; its own doc is a throwaway, so its sync messages carry
// nothing. Our messages go on the same chunked channels with a first byte
// y-webrtc never sends (V2_PREFIX), and the channel hands them here instead
// of to y-webrtc (chunked-channel.ts). Large messages go deflated between
// devices that both inflate (link-deflate.ts).
import type { WebrtcProvider } from 'y-webrtc';
import { V2_PREFIX, type ChunkedChannel } from '../chunked-channel';
import type { EngineEvent, Link } from './engine';
import type { EntryHash } from './entry';
import { DeflatingLink } from './link-deflate';
import { prehashEntries } from './prehash';

/**
 * What the links feed: a device's SignedSync, the relay's engine
 * (relay/signed-space.ts), a bare SyncEngine in Node tests and benches.
 */
export interface LinkedSync {
	addLink(link: Link): void;
	removeLink(id: string): void;
	/** `hashes`: an ENTRIES message's entries, hashed on the way in (prehash.ts). */
	receive(linkId: string, bytes: Uint8Array, hashes?: EntryHash[]): void;
	/** How many connections are still opening: a join waits a moment for them (engine.ts). */
	connecting?(count: number): void;
	/** A link's frame was dropped before it reached the engine (a deflated frame that broke its limits). */
	linkProblem?(linkId: string, detail: string): void;
	/** Hear the engine's events (a link that sent entries that did not verify); returns how to stop. */
	listen?(listener: (event: EngineEvent) => void): () => void;
}

interface PeerLike {
	connected: boolean;
	_channel?: ChunkedChannel;
	once(event: 'connect', listener: () => void): void;
}

interface PeersEvent {
	added: string[];
	removed: string[];
}

export class MeshLinks {
	readonly #provider: WebrtcProvider;
	readonly #sync: LinkedSync;
	/** Channels linked, by y-webrtc's peer id. */
	readonly #linked = new Map<string, ChunkedChannel>();
	readonly #deflating = new Map<string, DeflatingLink>();
	/** Connections already waited on: one 'connect' listener each, however often we check. */
	readonly #waiting = new WeakSet<PeerLike>();

	constructor(provider: WebrtcProvider, sync: LinkedSync) {
		this.#provider = provider;
		this.#sync = sync;
		provider.on('peers', this.#onPeers);
		this.#check();
	}

	#onPeers = (event: PeersEvent): void => {
		for (const id of event.removed) this.#unlink(id);
		this.#check();
	};

	/** Link every connection that is up and not linked; unlink those that went. */
	#check(): void {
		const conns = this.#provider.room?.webrtcConns ?? new Map();
		for (const [id, channel] of this.#linked) {
			// Gone, or replaced by a new connection to the same peer (y-webrtc's glare handling).
			const current = (conns.get(id)?.peer as PeerLike | undefined)?._channel;
			if (current !== channel) this.#unlink(id);
		}
		let opening = 0;
		for (const [id, conn] of conns) {
			if (this.#linked.has(id)) continue;
			const peer = conn.peer as PeerLike;
			if (peer.connected) this.#link(id, peer);
			else {
				opening += 1;
				if (!this.#waiting.has(peer)) {
					this.#waiting.add(peer);
					peer.once('connect', () => this.#check());
				}
			}
		}
		this.#sync.connecting?.(opening);
	}

	#link(id: string, peer: PeerLike): void {
		const channel = peer._channel;
		if (!channel || this.#linked.has(id)) return;
		this.#linked.set(id, channel);
		// Made before the engine's link: its offer to inflate goes ahead of the hello.
		const deflating = new DeflatingLink({
			send: (bytes) => {
				const framed = new Uint8Array(bytes.length + 1);
				framed[0] = V2_PREFIX;
				framed.set(bytes, 1);
				channel.send(framed);
			},
			deliver: (message, hashes) => this.#sync.receive(id, message, hashes),
			prehash: prehashEntries,
			onProblem: (detail) => this.#sync.linkProblem?.(id, detail)
		});
		this.#deflating.set(id, deflating);
		this.#sync.addLink({ id, send: (bytes) => deflating.send(bytes) });
		// After the link is known: what came early (the peer's hello) is handed over at once.
		channel.onDiverted = (message) => deflating.receive(message);
	}

	#unlink(id: string): void {
		const channel = this.#linked.get(id);
		if (!channel) return;
		this.#linked.delete(id);
		this.#deflating.get(id)?.close();
		this.#deflating.delete(id);
		channel.onDiverted = null;
		this.#sync.removeLink(id);
	}

	destroy(): void {
		this.#provider.off('peers', this.#onPeers);
		for (const id of [...this.#linked.keys()]) this.#unlink(id);
	}
}
