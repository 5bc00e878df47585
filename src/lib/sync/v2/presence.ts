// Presence in a sync v2 room (docs/sync-protocol.md, "Presence is not
// flooded"): who is here, carried as PRESENCE messages on the engine's links
// instead of y-webrtc's awareness relay. y-webrtc sends every awareness
// update it applies, remote ones included, to every link, and each device
// renews its state every 15 s, so in a bounded mesh every renewal floods the
// whole room. Here a device sends its own state to its direct links when it
// changes, when it is renewed and when a link opens; a state received is
// applied and passed on once, to the other links, only when it is new (its
// clock advanced) and only while its hop count allows: a state travels two
// hops and no further, so a renewal costs at most d + d·(d − 1) messages
// for d links a device, whatever the room's size.
//
// `provider.awareness` stays the store of states, so whatever reads it
// (network-status.ts, link-watch.ts) works unchanged, and y-webrtc keeps
// sharing it with this browser's other tabs over its BroadcastChannel.
// y-webrtc's own presence messages no longer cross the mesh channels
// (chunked-channel.ts, `dropsPresence`).
//
// Peers are untrusted: a message, its states and its hop count are bounded,
// nobody may set this device's own state, the states kept from others are
// bounded, and a malformed PRESENCE is dropped whole; it never reaches the
// engine or harms the link.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import type { Link } from './engine';
import type { EntryHash } from './entry';
import type { LinkedSync } from './mesh-links';

/** The engine-link message type of PRESENCE (messages.ts holds the others). */
export const PRESENCE_TYPE = 7;
/** Hops a device's own state travels: its links, and theirs. */
export const PRESENCE_HOPS = 2;
/** A state is a member id and a peer id: a kilobyte is plenty. */
export const MAX_STATE_BYTES = 1024;
/** An honest message carries one state; a little room for later. */
export const MAX_STATES_PER_MESSAGE = 4;
/** Bytes of one PRESENCE message, its header included. */
export const MAX_PRESENCE_BYTES = 16 + MAX_STATES_PER_MESSAGE * (MAX_STATE_BYTES + 24);
/** Other devices' states kept at once: made-up ids past it are not taken. */
export const MAX_REMOTE_STATES = 256;
/**
 * New states one link may bring per second, after a burst. An honest link
 * brings its device's own renewal and those of its links (d + 1 states
 * every 15 s for d links), and a burst when a room forms within two hops;
 * past this, what a link brings is neither applied nor passed on, so one
 * member cannot make every device within two hops redraw who is here and
 * pass its flood on.
 */
export const PRESENCE_STATES_PER_SECOND = 8;
export const PRESENCE_BURST = 64;

/** One device's state as it crossed the wire: kept as read, so it is passed on unchanged. */
interface WireState {
	clientId: number;
	clock: number;
	/** The JSON text, as sent. */
	json: string;
	/** Null: the device left. */
	state: Record<string, unknown> | null;
}

export interface PresenceMessage {
	/** Hops left, counting the one that brought it (1 or 2). */
	hops: number;
	states: WireState[];
}

/** The origin of states applied from a PRESENCE: which link brought them. */
export interface PresenceOrigin {
	presenceLink: string;
}

function isPresenceOrigin(origin: unknown): origin is PresenceOrigin {
	return typeof (origin as Partial<PresenceOrigin> | null)?.presenceLink === 'string';
}

export type PresenceRead = { ok: true; message: PresenceMessage } | { ok: false; detail: string };

class Malformed {
	constructor(readonly detail: string) {}
}

export function isPresenceMessage(bytes: Uint8Array): boolean {
	return bytes[0] === PRESENCE_TYPE;
}

export function encodePresence(message: PresenceMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeUint8(encoder, PRESENCE_TYPE);
	encoding.writeVarUint(encoder, message.hops);
	encoding.writeVarUint(encoder, message.states.length);
	for (const state of message.states) {
		encoding.writeVarUint(encoder, state.clientId);
		encoding.writeVarUint(encoder, state.clock);
		encoding.writeVarString(encoder, state.json);
	}
	return encoding.toUint8Array(encoder);
}

/** Read a peer's PRESENCE; never throws, never trusts a length. */
export function decodePresence(bytes: Uint8Array): PresenceRead {
	if (bytes.length > MAX_PRESENCE_BYTES) return { ok: false, detail: 'too large' };
	const decoder = decoding.createDecoder(bytes);
	const left = () => bytes.length - decoder.pos;
	const safe = (what: string): number => {
		const n = decoding.readVarUint(decoder);
		if (!Number.isSafeInteger(n)) throw new Malformed(`bad ${what}`);
		return n;
	};
	try {
		if (decoding.readUint8(decoder) !== PRESENCE_TYPE) throw new Malformed('not presence');
		const hops = safe('hop count');
		if (hops < 1 || hops > PRESENCE_HOPS) throw new Malformed(`hop count ${hops}`);
		const count = safe('count');
		if (count < 1 || count > MAX_STATES_PER_MESSAGE)
			throw new Malformed(`${count} states in one message`);
		const states: WireState[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = safe('client id');
			const clock = safe('clock');
			const length = safe('state length');
			if (length > MAX_STATE_BYTES) throw new Malformed('state too large');
			if (length > left()) throw new Malformed('cut short');
			const json = new TextDecoder('utf-8', { fatal: true }).decode(
				decoding.readUint8Array(decoder, length)
			);
			const state: unknown = JSON.parse(json);
			if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
				throw new Malformed('state is not an object');
			states.push({ clientId, clock, json, state: state as Record<string, unknown> | null });
		}
		if (left() !== 0) throw new Malformed('trailing bytes');
		return { ok: true, message: { hops, states } };
	} catch (error) {
		// lib0 throws its own errors on a varuint cut short; JSON and UTF-8 theirs.
		return { ok: false, detail: error instanceof Malformed ? error.detail : 'unreadable' };
	}
}

export interface MeshPresenceOptions {
	/** Send this device's own state (the relay has none: it only passes others' on). */
	sendsOwn?: boolean;
	/** A PRESENCE was dropped (diagnostics and tests; nothing else happens). */
	onDropped?: (linkId: string, detail: string) => void;
	/** The clock the rate of new states is measured by (tests). */
	now?: () => number;
}

/**
 * Sits between the links and the engine: PRESENCE messages are handled
 * here, everything else goes on to `inner` untouched.
 */
export class MeshPresence implements LinkedSync {
	readonly #awareness: Awareness;
	readonly #inner: LinkedSync;
	readonly #links = new Map<string, Link>();
	readonly #sendsOwn: boolean;
	readonly #onDropped: (linkId: string, detail: string) => void;
	readonly #now: () => number;
	/** New states each link may still bring (a bucket), and when it was last filled. */
	readonly #allowance = new Map<string, { states: number; at: number }>();
	#destroyed = false;

	constructor(awareness: Awareness, inner: LinkedSync, options: MeshPresenceOptions = {}) {
		this.#awareness = awareness;
		this.#inner = inner;
		this.#sendsOwn = options.sendsOwn ?? true;
		this.#onDropped = options.onDropped ?? (() => {});
		this.#now = options.now ?? Date.now;
		awareness.on('update', this.#onUpdate);
	}

	addLink(link: Link): void {
		this.#inner.addLink(link);
		this.#links.set(link.id, link);
		const own = this.#ownState();
		if (own) this.#send(link, { hops: PRESENCE_HOPS, states: [own] });
	}

	removeLink(id: string): void {
		this.#links.delete(id);
		this.#allowance.delete(id);
		this.#inner.removeLink(id);
	}

	linkProblem(linkId: string, detail: string): void {
		this.#inner.linkProblem?.(linkId, detail);
	}

	connecting(count: number): void {
		this.#inner.connecting?.(count);
	}

	receive(linkId: string, bytes: Uint8Array, hashes?: EntryHash[]): void {
		if (!isPresenceMessage(bytes)) return this.#inner.receive(linkId, bytes, hashes);
		if (!this.#links.has(linkId) || this.#destroyed) return;
		const read = decodePresence(bytes);
		if (!read.ok) return this.#onDropped(linkId, read.detail);
		this.#forgetDeparted();
		let room = MAX_REMOTE_STATES - (this.#awareness.states.size - 1);
		const fresh = read.message.states.filter((state) => {
			if (!this.#isNew(state)) return false;
			// A device with no state held takes a place among the states kept.
			if (this.#awareness.states.has(state.clientId)) return true;
			return room-- > 0;
		});
		if (fresh.length === 0) return;
		const allowed = this.#spend(linkId, fresh.length);
		if (allowed < fresh.length) {
			this.#onDropped(linkId, 'more new presence than any device sends');
			fresh.length = allowed;
			if (allowed === 0) return;
		}
		// The origin names the link, so the links list hears it (link-watch.ts).
		const origin: PresenceOrigin = { presenceLink: linkId };
		applyAwarenessUpdate(this.#awareness, encodeStates(fresh), origin);
		if (read.message.hops <= 1) return;
		const onward = encodePresence({ hops: read.message.hops - 1, states: fresh });
		for (const [id, link] of this.#links) if (id !== linkId) sendBytes(link, onward);
	}

	/** Take up to `wanted` new states from `linkId`'s allowance; how many it allows. */
	#spend(linkId: string, wanted: number): number {
		const now = this.#now();
		const bucket = this.#allowance.get(linkId) ?? { states: PRESENCE_BURST, at: now };
		const refill = (Math.max(0, now - bucket.at) / 1000) * PRESENCE_STATES_PER_SECOND;
		bucket.states = Math.min(PRESENCE_BURST, bucket.states + refill);
		bucket.at = now;
		const allowed = Math.min(wanted, Math.floor(bucket.states));
		bucket.states -= allowed;
		this.#allowance.set(linkId, bucket);
		return allowed;
	}

	/** Would applying `state` change what this device holds? Never for its own state. */
	#isNew(state: WireState): boolean {
		const awareness = this.#awareness;
		if (state.clientId === awareness.clientID) return false;
		const known = awareness.meta.get(state.clientId);
		if (!known) return state.state !== null;
		return (
			known.clock < state.clock ||
			(known.clock === state.clock && state.state === null && awareness.states.has(state.clientId))
		);
	}

	/**
	 * y-protocols keeps the clock of every device that ever left, so made-up
	 * ids sent and then removed would pile up: past the bound, those go. A
	 * late copy of a departed device's state may then show it again, until
	 * it times out (30 s).
	 */
	#forgetDeparted(): void {
		const awareness = this.#awareness;
		if (awareness.meta.size <= 2 * MAX_REMOTE_STATES) return;
		for (const id of [...awareness.meta.keys()])
			if (!awareness.states.has(id) && id !== awareness.clientID) awareness.meta.delete(id);
	}

	/** This device's state changed or was renewed (y-protocols renews it every 15 s). */
	#onUpdate = (
		changes: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		if (isPresenceOrigin(origin) || !this.#sendsOwn) return;
		const own = this.#awareness.clientID;
		const changed = [...changes.added, ...changes.updated, ...changes.removed];
		if (!changed.includes(own)) return;
		const state = this.#ownState(true);
		if (!state) return;
		const bytes = encodePresence({ hops: PRESENCE_HOPS, states: [state] });
		for (const link of this.#links.values()) sendBytes(link, bytes);
	};

	/** This device's state as sent; with `left`, also when it has none (it left). */
	#ownState(left = false): WireState | null {
		if (!this.#sendsOwn) return null;
		const awareness = this.#awareness;
		const meta = awareness.meta.get(awareness.clientID);
		const state = awareness.getLocalState();
		if (!meta || (state === null && !left)) return null;
		const json = JSON.stringify(state);
		// Our own state is small; one that is not would be dropped by every peer.
		if (new TextEncoder().encode(json).length > MAX_STATE_BYTES) return null;
		return { clientId: awareness.clientID, clock: meta.clock, json, state };
	}

	#send(link: Link, message: PresenceMessage): void {
		sendBytes(link, encodePresence(message));
	}

	destroy(): void {
		this.#destroyed = true;
		this.#awareness.off('update', this.#onUpdate);
		this.#links.clear();
	}
}

function sendBytes(link: Link, bytes: Uint8Array): void {
	try {
		link.send(bytes);
	} catch {
		// A link that cannot send is closing; its transport removes it.
	}
}

/** States in y-protocols' awareness update encoding, for `applyAwarenessUpdate`. */
function encodeStates(states: WireState[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, states.length);
	for (const state of states) {
		encoding.writeVarUint(encoder, state.clientId);
		encoding.writeVarUint(encoder, state.clock);
		encoding.writeVarString(encoder, state.json);
	}
	return encoding.toUint8Array(encoder);
}
