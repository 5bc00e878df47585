// Who links to whom in a sync v2 room (docs/sync-protocol.md, "A bounded
// mesh"). y-webrtc links every device to every other it hears, and its
// `maxConns` limits only the offers a device makes: it accepts every offer.
// Here a device keeps a passive list of peer ids heard on signaling, starts
// a link only to a peer whose id is higher than its own (so two devices never
// offer to each other at once), aims for AIM links and never holds more than
// CAP: an offer over the cap is answered `busy`, naming a few other peers to
// try instead. It decides only; the signaling guard (signaling-guard.ts)
// reads the frames and does the sending. Peer ids from signaling are
// untrusted: lists are bounded and nothing here can take a device past CAP.

/** Links a device looks for on its own. */
export const MESH_AIM = 6;
/** Links a device ever holds, inbound ones included. */
export const MESH_CAP = 8;
/** Peer ids remembered from signaling. */
export const PASSIVE_MAX = 30;
/** Peer ids named in one `busy` answer (and the most read from one). */
export const BUSY_PEERS = 5;
export const BUSY_PEERS_READ = 8;
/** How often a device at its aim shuffles one link. */
export const SHUFFLE_MS = 30_000;
/** A peer tried (or that said busy) is not tried again for this long. */
export const RETRY_MS = 15_000;

/** The parts of y-webrtc's Room this policy reads. */
export interface MeshRoom {
	peerId: string;
	webrtcConns: Map<
		string,
		{
			connected?: boolean;
			/** simple-peer's: `close` comes after y-webrtc has taken the link out of webrtcConns. */
			peer: { destroy(): void; once(event: 'close', listener: () => void): void };
		}
	>;
}

/** What the signaling guard does for the policy. */
export interface MeshActions {
	/** Start a link to `peerId` (this device offers). */
	connect(peerId: string): void;
	/** Send a message addressed to one peer through the encrypted signaling channel. */
	publish(message: MeshSignal): void;
}

/** The messages this policy adds to y-webrtc's signaling (announce, signal). */
export type MeshSignal =
	/** "I am in the room"; `wants`: please start a link to me (only a lower id may). */
	| { type: 'here'; from: string; to: string; wants: boolean }
	/** "I am at my cap": the offer was not taken; try these peers instead. */
	| { type: 'busy'; from: string; to: string; peers: string[] };

export interface BoundedMeshOptions {
	aim?: number;
	cap?: number;
	random?: () => number;
	now?: () => number;
}

export class BoundedMesh {
	readonly aim: number;
	readonly cap: number;
	readonly #random: () => number;
	readonly #now: () => number;
	/** Peer ids heard on signaling, oldest first. */
	readonly #passive = new Set<string>();
	/** When each peer may be tried again. */
	readonly #retryAt = new Map<string, number>();

	constructor(options: BoundedMeshOptions = {}) {
		this.aim = options.aim ?? MESH_AIM;
		this.cap = options.cap ?? MESH_CAP;
		this.#random = options.random ?? Math.random;
		this.#now = options.now ?? Date.now;
	}

	/** The passive list, oldest first. */
	passive(): string[] {
		return [...this.#passive];
	}

	#hear(room: MeshRoom, peerId: string): boolean {
		if (peerId === room.peerId) return false;
		const isNew = !this.#passive.has(peerId);
		this.#passive.delete(peerId);
		this.#passive.add(peerId);
		if (this.#passive.size > PASSIVE_MAX) {
			const oldest = this.#passive.values().next().value!;
			this.#passive.delete(oldest);
			this.#retryAt.delete(oldest);
		}
		return isNew;
	}

	/** A device announced itself to the room (y-webrtc's broadcast). */
	onAnnounce(room: MeshRoom, from: string, actions: MeshActions): void {
		const isNew = this.#hear(room, from);
		if (room.webrtcConns.has(from)) return;
		const links = room.webrtcConns.size;
		if (room.peerId < from && links < this.aim) return actions.connect(from);
		// Let it know we are here (a joiner hears nobody's announce but its own),
		// and, when we want links and it is the one to start, ask it to.
		if (isNew || links < this.aim)
			actions.publish({
				type: 'here',
				from: room.peerId,
				to: from,
				wants: room.peerId > from && links < this.aim
			});
	}

	/** A peer said it is here, and maybe asked for a link. */
	onHere(room: MeshRoom, from: string, wants: boolean, actions: MeshActions): void {
		this.#hear(room, from);
		if (!wants || room.peerId > from || room.webrtcConns.has(from)) return;
		if (room.webrtcConns.size < this.cap) actions.connect(from);
		else this.#busy(room, from, actions);
	}

	/** Whether to take an offer from a peer we hold no link with; answers `busy` when not. */
	takeOffer(room: MeshRoom, from: string, actions: MeshActions): boolean {
		this.#hear(room, from);
		if (room.webrtcConns.size < this.cap) return true;
		this.#busy(room, from, actions);
		return false;
	}

	/** The peer we offered to is at its cap: drop the offer, try the peers it named. */
	onBusy(room: MeshRoom, from: string, peers: string[], actions: MeshActions): void {
		this.#retryAt.set(from, this.#now() + RETRY_MS);
		const conn = room.webrtcConns.get(from);
		if (conn && !conn.connected) conn.peer.destroy();
		for (const peer of peers.slice(0, BUSY_PEERS_READ)) this.#hear(room, peer);
		this.fill(room, actions);
	}

	/** Below the aim: link to (or ask for a link from) passive peers not tried lately. */
	fill(room: MeshRoom, actions: MeshActions): void {
		const now = this.#now();
		const candidates = [...this.#passive].filter(
			(id) => !room.webrtcConns.has(id) && (this.#retryAt.get(id) ?? 0) <= now
		);
		let wanted = this.aim - room.webrtcConns.size;
		while (wanted > 0 && candidates.length > 0) {
			const [peer] = candidates.splice(Math.floor(this.#random() * candidates.length), 1);
			this.#retryAt.set(peer!, now + RETRY_MS);
			if (room.peerId < peer!) actions.connect(peer!);
			else actions.publish({ type: 'here', from: room.peerId, to: peer!, wants: true });
			wanted -= 1;
		}
	}

	/**
	 * At the aim or above (HyParView's shuffle): drop one random open link and
	 * link to (or ask for a link from) one random passive peer, so the mesh
	 * stays random and cannot freeze into islands. Nothing when no passive
	 * peer is free to take the dropped link's place.
	 */
	shuffle(room: MeshRoom, actions: MeshActions): void {
		if (room.webrtcConns.size < this.aim) return;
		const now = this.#now();
		const free = [...this.#passive].filter(
			(id) => !room.webrtcConns.has(id) && (this.#retryAt.get(id) ?? 0) <= now
		);
		const open = [...room.webrtcConns].filter(([, conn]) => conn.connected);
		if (free.length === 0 || open.length === 0) return;
		const [dropped, conn] = open[Math.floor(this.#random() * open.length)]!;
		// Not straight back to the one we left.
		this.#retryAt.set(dropped, now + RETRY_MS);
		const peer = free[Math.floor(this.#random() * free.length)]!;
		this.#retryAt.set(peer, now + RETRY_MS);
		const replace = () => {
			if (room.webrtcConns.has(peer) || room.webrtcConns.size >= this.cap) return;
			if (room.peerId < peer) actions.connect(peer);
			else actions.publish({ type: 'here', from: room.peerId, to: peer, wants: true });
		};
		// A destroyed link stays in webrtcConns until it closes: linking at once
		// would hold one over the cap meanwhile (seen: 9 links at a cap of 8).
		if (room.webrtcConns.size >= this.cap) conn.peer.once('close', replace);
		conn.peer.destroy();
		if (room.webrtcConns.size < this.cap) replace();
	}

	#busy(room: MeshRoom, to: string, actions: MeshActions): void {
		const others = [...this.#passive, ...room.webrtcConns.keys()].filter((id) => id !== to);
		const peers: string[] = [];
		let seen = 0;
		for (const id of new Set(others)) {
			// Reservoir sampling: a fair pick of BUSY_PEERS in one pass.
			if (peers.length < BUSY_PEERS) peers.push(id);
			else {
				const slot = Math.floor(this.#random() * (seen + 1));
				if (slot < BUSY_PEERS) peers[slot] = id;
			}
			seen += 1;
		}
		actions.publish({ type: 'busy', from: room.peerId, to, peers });
	}
}

const meshes = new WeakMap<object, BoundedMesh>();

/** Give a provider's room the bounded mesh (sync v2 spaces only). */
export function boundMesh(provider: object, mesh = new BoundedMesh()): BoundedMesh {
	meshes.set(provider, mesh);
	return mesh;
}

/** The bounded mesh of a provider, or null when it links as y-webrtc does. */
export function boundedMeshOf(provider: object): BoundedMesh | null {
	return meshes.get(provider) ?? null;
}
