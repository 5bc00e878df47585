// A direct link between two devices made by exchanging pairing codes, with
// no server of any kind: one data channel (chunked and back-pressured like
// the mesh) carrying the sync engine's messages, so a pairing link is just
// another engine link, and the engine passes on what it learns on it as on
// any other. Large messages go deflated, as on the mesh (link-deflate.ts):
// a pairing link is what a group without any server has. Nothing else the
// other device sends is read.
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import { V2_PREFIX, type ChunkedChannel } from './chunked-channel';
import { createChunkingWrtc, type WrtcImplementation } from './chunked-wrtc';
import { channelProblem, type LinkProblem } from './link-problem';
import { offerForCode, offerTag, type PairingSignal } from './pairing-code';
import { DeflatingLink } from './v2/link-deflate';
import { prehashEntries } from './v2/prehash';
import type { LinkedSync } from './v2/mesh-links';

/** Names pairing links to the engine, apart from every mesh link's. */
let pairedLinks = 0;

export type LinkState =
	'making-code' | 'waiting-for-answer' | 'connecting' | 'linked' | 'closed' | 'failed';

export type { LinkProblem };

/**
 * How long a link may stay connecting before it is called stalled. Once an
 * answer is applied, a LAN link comes up in seconds. An answer shown to the
 * device that started must first be carried back by a person.
 */
export const STALL_AFTER_ANSWER_MS = 30_000;
export const STALL_AFTER_CODE_MS = 120_000;

export class PairedLink {
	readonly initiator: boolean;
	state: LinkState = 'making-code';
	lastSyncAt: number | null = null;
	/** The member id the other device put in its code, when it did. */
	remoteMember: string | null = null;
	problem: LinkProblem | null = null;
	/**
	 * Still connecting long after it should have linked: the other side most
	 * likely used its code with another device, or started over. It may still
	 * link if the other side catches up.
	 */
	stalled = false;
	/** This device's offer, named as answers name it (the initiator's only). */
	offerTag = '';
	#stallTimer: ReturnType<typeof setTimeout> | undefined;
	#peer: SimplePeerInstance;
	#signal: Promise<PairingSignal>;
	#onChange: () => void;
	/** The space's signed sync: this link is one of its engine's links. */
	#signed: LinkedSync;
	readonly #engineLinkId = `pairing-${++pairedLinks}`;
	/** Between the engine and the channel while linked. */
	#deflating: DeflatingLink | null = null;
	#stopHearing: (() => void) | undefined;

	constructor(options: {
		initiator: boolean;
		iceServers: RTCIceServer[];
		wrtc?: WrtcImplementation;
		onChange: () => void;
		signed: LinkedSync;
	}) {
		this.initiator = options.initiator;
		this.#signed = options.signed;
		this.#onChange = options.onChange;
		const base = options.wrtc ?? {
			RTCPeerConnection: globalThis.RTCPeerConnection,
			RTCSessionDescription: globalThis.RTCSessionDescription,
			RTCIceCandidate: globalThis.RTCIceCandidate
		};
		// No trickle: the one code carries every candidate, since there is no server to carry more.
		this.#peer = new Peer({
			initiator: options.initiator,
			trickle: false,
			config: { iceServers: options.iceServers },
			wrtc: createChunkingWrtc(base, {
				divertsV2: true,
				onProtocolError: (message, dropsLink) => {
					this.problem = channelProblem(message, dropsLink);
					this.#onChange();
				}
			})
		});
		this.#signal = new Promise((resolve) => {
			this.#peer.on('signal', (data) => {
				if (data.type === 'offer') resolve({ type: 'offer', sdp: offerForCode(data.sdp) });
				if (data.type === 'answer') resolve({ type: 'answer', sdp: data.sdp });
			});
		});
		this.#peer.on('connect', () => {
			this.#stopWatching();
			this.#set('linked');
			this.#linkEngine(this.#signed);
		});
		// The engine's messages are diverted to it by the channel; whatever else
		// comes is dropped unread (a listener keeps the stream from buffering it).
		this.#peer.on('data', () => {});
		this.#peer.on('close', () => {
			this.#stopWatching();
			this.#unlinkEngine();
			this.#set(this.state === 'failed' ? 'failed' : 'closed');
		});
		this.#peer.on('error', (error) => {
			this.#stopWatching();
			this.problem = { kind: 'connection', detail: error.message };
			this.#set('failed');
		});
	}

	/** Become a link of the engine: its messages go on the channel with the v2 prefix, deflated where it pays. */
	#linkEngine(signed: LinkedSync): void {
		const channel = (this.#peer as unknown as { _channel?: ChunkedChannel })._channel;
		if (!channel || this.#deflating) return;
		const id = this.#engineLinkId;
		// Made before the engine's link: its offer to inflate goes ahead of the hello.
		const deflating = new DeflatingLink({
			send: (bytes) => {
				const framed = new Uint8Array(bytes.length + 1);
				framed[0] = V2_PREFIX;
				framed.set(bytes, 1);
				this.#send(framed);
			},
			deliver: (message, hashes) => {
				signed.receive(id, message, hashes);
				// Heard from the other device's engine: the two compared their logs.
				this.lastSyncAt = Date.now();
				this.#onChange();
			},
			prehash: prehashEntries,
			onProblem: (detail) => signed.linkProblem?.(id, detail)
		});
		this.#deflating = deflating;
		// Entries the other device sent that did not verify: said on this link.
		this.#stopHearing = signed.listen?.((event) => {
			if (event.type !== 'misbehaved' || !event.refusedEntries || event.link !== id) return;
			this.problem = { kind: 'refused-entries' };
			this.#onChange();
		});
		signed.addLink({ id, send: (bytes) => deflating.send(bytes) });
		// After the link is known: what came early (the other side's hello) is handed over at once.
		channel.onDiverted = (message) => deflating.receive(message);
	}

	#unlinkEngine(): void {
		if (!this.#deflating) return;
		this.#stopHearing?.();
		this.#stopHearing = undefined;
		this.#deflating.close();
		this.#deflating = null;
		this.#signed.removeLink(this.#engineLinkId);
	}

	/** The offer (initiator) or the answer (after `accept` of an offer) to show as a code. */
	async code(): Promise<PairingSignal> {
		const signal = await this.#signal;
		if (this.state === 'making-code') {
			if (this.initiator) this.offerTag = offerTag(signal.sdp);
			else this.#watch(STALL_AFTER_CODE_MS);
			this.#set(this.initiator ? 'waiting-for-answer' : 'connecting');
		}
		return signal;
	}

	/**
	 * Feed the other device's offer (responder) or answer (initiator). The
	 * caller checks the kind first (pairings.svelte.ts says why a code does not fit).
	 */
	accept(signal: PairingSignal): void {
		if (signal.type !== (this.initiator ? 'answer' : 'offer'))
			throw new Error(
				`A ${this.initiator ? 'starting' : 'answering'} link was given an ${signal.type}`
			);
		this.remoteMember = signal.member ?? null;
		this.#peer.signal({ type: signal.type, sdp: signal.sdp });
		if (this.initiator) {
			this.#watch(STALL_AFTER_ANSWER_MS);
			this.#set('connecting');
		}
	}

	/** Call the link stalled if it is still connecting after `ms`. */
	#watch(ms: number): void {
		this.#stopWatching();
		this.#stallTimer = setTimeout(() => {
			if (this.state !== 'connecting') return;
			this.stalled = true;
			this.#onChange();
		}, ms);
	}

	#stopWatching(): void {
		clearTimeout(this.#stallTimer);
		this.#stallTimer = undefined;
		this.stalled = false;
	}

	#set(state: LinkState): void {
		this.state = state;
		this.#onChange();
	}

	#send(message: Uint8Array): void {
		// Sent only once linked; a link closing drops it, and the engine asks again on the next.
		if (!this.#peer.connected) return;
		try {
			this.#peer.send(message);
		} catch {
			// The link is closing; its close event will follow.
		}
	}

	destroy(): void {
		clearTimeout(this.#stallTimer);
		this.#unlinkEngine();
		this.#peer.destroy();
		if (this.state !== 'failed') this.state = 'closed';
	}
}
