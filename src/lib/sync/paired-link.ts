// A direct link between two devices made by exchanging pairing codes, with
// no server of any kind. It speaks the Yjs sync protocol over one data
// channel (chunked and back-pressured like the mesh), and, like any link,
// passes on what it learns: an update that arrived from another link or
// transport goes out on this one too. In a space on sync v2 it carries the
// engine's messages instead (a pairing link is just another engine link),
// and nothing of the Yjs sync protocol is read or sent.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { isWholeUpdate } from '../doc/whole-update';
import { V2_PREFIX, type ChunkedChannel } from './chunked-channel';
import { createChunkingWrtc, type WrtcImplementation } from './chunked-wrtc';
import { channelProblem, type LinkProblem } from './link-problem';
import { offerForCode, offerTag, type PairingSignal } from './pairing-code';
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

/** Whether a sync message carries an update (step 2 or update) that is not whole. */
function carriesBrokenUpdate(data: Uint8Array): boolean {
	const decoder = decoding.createDecoder(data);
	const kind = decoding.readVarUint(decoder);
	if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate)
		return false;
	return !isWholeUpdate(decoding.readVarUint8Array(decoder));
}

/**
 * One Yjs sync message from the other device, applied to `doc` under
 * `origin`: the reply to send, if any, and whether it brought state (a step
 * 2 or an update, not just a question). Never throws: a message that cannot
 * be read is `ok: false`, and leaves the doc as it was.
 */
export function readLinkMessage(
	doc: Y.Doc,
	data: Uint8Array,
	origin: unknown
): { ok: true; reply: Uint8Array | null; bringsState: boolean } | { ok: false } {
	try {
		if (carriesBrokenUpdate(data)) return { ok: false };
		const decoder = decoding.createDecoder(data);
		const encoder = encoding.createEncoder();
		// y-protocols catches a failed update itself (and only logs it): ask to hear of it.
		let failed = false;
		const kind = syncProtocol.readSyncMessage(decoder, encoder, doc, origin, () => {
			failed = true;
		});
		if (failed) return { ok: false };
		return {
			ok: true,
			reply: encoding.length(encoder) > 0 ? encoding.toUint8Array(encoder) : null,
			bringsState: kind !== syncProtocol.messageYjsSyncStep1
		};
	} catch {
		return { ok: false };
	}
}

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
	#doc: Y.Doc;
	#peer: SimplePeerInstance;
	#signal: Promise<PairingSignal>;
	#onChange: () => void;
	/** Messages written before simple-peer reports `connect` (the other side can speak first). */
	#outbox: Uint8Array[] = [];
	/** The space's sync v2, when it runs on it: this link is one of its engine's links. */
	#signed: LinkedSync | null;
	readonly #engineLinkId = `pairing-${++pairedLinks}`;
	#engineLinked = false;

	constructor(
		doc: Y.Doc,
		options: {
			initiator: boolean;
			iceServers: RTCIceServer[];
			wrtc?: WrtcImplementation;
			onChange: () => void;
			/** The space's sync v2: the link carries its messages instead of Yjs sync. */
			signed?: LinkedSync | null;
		}
	) {
		this.initiator = options.initiator;
		this.#doc = doc;
		this.#signed = options.signed ?? null;
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
				divertsV2: this.#signed !== null,
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
			if (this.#signed) return this.#linkEngine(this.#signed);
			const encoder = encoding.createEncoder();
			syncProtocol.writeSyncStep1(encoder, this.#doc);
			this.#send(encoding.toUint8Array(encoder));
			const early = this.#outbox;
			this.#outbox = [];
			for (const message of early) this.#send(message);
		});
		this.#peer.on('data', (data) => this.#receive(data));
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
		// Under v2 the engine pushes what is new to its links, this one included.
		if (!this.#signed) doc.on('update', this.#onUpdate);
	}

	/** Become a link of the engine: its messages go on the channel with the v2 prefix. */
	#linkEngine(signed: LinkedSync): void {
		const channel = (this.#peer as unknown as { _channel?: ChunkedChannel })._channel;
		if (!channel || this.#engineLinked) return;
		this.#engineLinked = true;
		signed.addLink({
			id: this.#engineLinkId,
			send: (bytes) => {
				const framed = new Uint8Array(bytes.length + 1);
				framed[0] = V2_PREFIX;
				framed.set(bytes, 1);
				this.#send(framed);
			}
		});
		// After the link is known: what came early (the other side's hello) is handed over at once.
		channel.onDiverted = (message) => {
			signed.receive(this.#engineLinkId, message);
			// Heard from the other device's engine: the two compared their logs.
			this.lastSyncAt = Date.now();
			this.#onChange();
		};
	}

	#unlinkEngine(): void {
		if (!this.#engineLinked) return;
		this.#engineLinked = false;
		this.#signed?.removeLink(this.#engineLinkId);
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
		if (!this.#peer.connected) {
			// The other side's channel opened first and it already spoke: answer once we are connected.
			if (this.state !== 'closed' && this.state !== 'failed') this.#outbox.push(message);
			return;
		}
		try {
			this.#peer.send(message);
		} catch {
			// The link is closing; its close event will follow.
		}
	}

	#receive(data: Uint8Array): void {
		// A device on today's sync: nothing it sends may reach a v2 space's doc unsigned.
		if (this.#signed) return;
		const read = readLinkMessage(this.#doc, data, this);
		if (!read.ok) {
			this.problem = { kind: 'unreadable-message' };
			this.#onChange();
			return;
		}
		if (read.reply) this.#send(read.reply);
		if (read.bringsState) {
			this.lastSyncAt = Date.now();
			this.#onChange();
		}
	}

	#onUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin === this) return;
		const encoder = encoding.createEncoder();
		syncProtocol.writeUpdate(encoder, update);
		this.#send(encoding.toUint8Array(encoder));
	};

	destroy(): void {
		clearTimeout(this.#stallTimer);
		this.#outbox = [];
		this.#doc.off('update', this.#onUpdate);
		this.#unlinkEngine();
		this.#peer.destroy();
		if (this.state !== 'failed') this.state = 'closed';
	}
}
