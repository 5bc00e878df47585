// Watches the links y-webrtc makes — data channels to devices found through
// signaling, and other tabs of this browser over BroadcastChannel — and tells
// the LinkLog whenever something arrives on one, or a mesh link refuses what
// arrived (provider.ts, `onMeshProblem`). Presence carries each
// device's y-webrtc peer id next to its member id, so a link can be named by
// the person at the other end. In a sync v2 space presence comes as PRESENCE
// on the engine's side of the channel, which y-webrtc's peer never sees: the
// awareness update names the link it came by (v2/presence.ts), and counts as
// heard on it.
import * as bc from 'lib0/broadcastchannel';
import type { WebrtcProvider } from 'y-webrtc';
import type { LinkLog } from './link-log';
import type { LinkProblem } from './link-problem';
import { onMeshProblem, type MeshProblem } from './provider';

export interface LiveLink {
	transport: 'mesh' | 'tab';
	/** y-webrtc's id for the other end, for this session. */
	linkId: string;
	/** The member at the other end, once presence has said. */
	member: string | null;
	state: 'linked' | 'connecting';
}

interface DataPeer {
	on(event: 'data', listener: (data: unknown) => void): void;
	off?(event: 'data', listener: (data: unknown) => void): void;
	removeListener?(event: 'data', listener: (data: unknown) => void): void;
}

export class LinkWatch {
	#provider: WebrtcProvider;
	#log: LinkLog;
	#onChange: () => void;
	#hooked = new Map<DataPeer, (data: unknown) => void>();
	#bcRoom: string | null = null;
	#timer: ReturnType<typeof setInterval>;
	#stopProblems: () => void;

	constructor(provider: WebrtcProvider, log: LinkLog, onChange: () => void, checkEveryMs = 1000) {
		this.#provider = provider;
		this.#log = log;
		this.#onChange = onChange;
		provider.on('peers', this.#check);
		provider.awareness.on('change', this.#check);
		provider.awareness.on('update', this.#onPresence);
		this.#timer = setInterval(this.#check, checkEveryMs);
		this.#stopProblems = onMeshProblem(provider, this.#onProblem);
		this.#check();
	}

	/** Links open or opening right now. */
	live(): LiveLink[] {
		const room = this.#provider.room;
		if (!room || !this.#provider.connected) return [];
		const members = this.#membersByPeer();
		const mesh: LiveLink[] = [...room.webrtcConns.values()].map((conn) => ({
			transport: 'mesh',
			linkId: conn.remotePeerId,
			member: members.get(conn.remotePeerId) ?? null,
			state: conn.connected ? 'linked' : 'connecting'
		}));
		const tabs: LiveLink[] = [...room.bcConns].map((peerId) => ({
			transport: 'tab',
			linkId: peerId,
			member: members.get(peerId) ?? null,
			state: 'linked'
		}));
		return [...mesh, ...tabs];
	}

	#membersByPeer(): Map<string, string> {
		const members = new Map<string, string>();
		this.#provider.awareness.getStates().forEach((state) => {
			if (typeof state?.peer === 'string' && typeof state?.member === 'string')
				members.set(state.peer, state.member);
		});
		return members;
	}

	#heard(transport: 'mesh' | 'tab', linkId: string): void {
		const member = this.#membersByPeer().get(linkId);
		if (member) this.#log.heard(transport, member, true);
		else this.#log.heard(transport, linkId, false);
		// The once-a-second check tells listeners: a big sync is thousands of messages.
	}

	/** A state came by PRESENCE on a mesh link: a renewal every 15 s keeps the link's time fresh. */
	#onPresence = (_changes: unknown, origin: unknown): void => {
		const linkId = (origin as { presenceLink?: unknown } | null)?.presenceLink;
		if (typeof linkId === 'string' && this.#provider.room?.webrtcConns.has(linkId))
			this.#heard('mesh', linkId);
	};

	#onProblem = ({ linkId, problem }: MeshProblem): void => {
		if (linkId !== null) this.refusedOn(linkId, problem);
	};

	/**
	 * The mesh link to `linkId` refused something the device at the other end
	 * sent: kept on that device's row. Ids of other links (pairing's) are not this watch's.
	 */
	refusedOn(linkId: string, problem: LinkProblem): void {
		if (problem.kind === 'connection' || !this.#provider.room?.webrtcConns.has(linkId)) return;
		const member = this.#membersByPeer().get(linkId);
		this.#log.refused('mesh', member ?? linkId, member !== undefined, problem.kind);
		this.#onChange();
	}

	#check = (): void => {
		const room = this.#provider.room;
		if (!room) return;
		// Say which y-webrtc peer we are, so others can name their link to us.
		const local = this.#provider.awareness.getLocalState();
		if (local && local.peer !== room.peerId)
			this.#provider.awareness.setLocalStateField('peer', room.peerId);

		const current = new Set<DataPeer>();
		for (const conn of room.webrtcConns.values()) {
			const peer = conn.peer as unknown as DataPeer;
			current.add(peer);
			if (this.#hooked.has(peer)) continue;
			const listener = () => this.#heard('mesh', conn.remotePeerId);
			peer.on('data', listener);
			this.#hooked.set(peer, listener);
		}
		for (const [peer, listener] of this.#hooked) {
			if (current.has(peer)) continue;
			(peer.off ?? peer.removeListener)?.call(peer, 'data', listener);
			this.#hooked.delete(peer);
		}
		if (this.#bcRoom !== room.name) {
			if (this.#bcRoom) bc.unsubscribe(this.#bcRoom, this.#onTabMessage);
			this.#bcRoom = room.name;
			bc.subscribe(room.name, this.#onTabMessage);
		}
		// Anything heard before presence named the other end now belongs to its member.
		for (const [peerId, member] of this.#membersByPeer()) {
			this.#log.identify('mesh', peerId, member);
			this.#log.identify('tab', peerId, member);
		}
		this.#onChange();
	};

	#onTabMessage = (_data: unknown, origin: unknown): void => {
		// Our own tab's messages reach local subscribers too, with another origin.
		if (origin !== 'broadcastchannel') return;
		// A BroadcastChannel message cannot tell which tab sent it: all of them are live.
		for (const peerId of this.#provider.room?.bcConns ?? []) this.#heard('tab', peerId);
	};

	destroy(): void {
		clearInterval(this.#timer);
		this.#stopProblems();
		this.#provider.off('peers', this.#check);
		this.#provider.awareness.off('change', this.#check);
		this.#provider.awareness.off('update', this.#onPresence);
		for (const [peer, listener] of this.#hooked)
			(peer.off ?? peer.removeListener)?.call(peer, 'data', listener);
		this.#hooked.clear();
		if (this.#bcRoom) bc.unsubscribe(this.#bcRoom, this.#onTabMessage);
	}
}
