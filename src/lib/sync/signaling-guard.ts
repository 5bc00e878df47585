// Our receive path for y-webrtc signaling frames. y-webrtc 10.3 decrypts
// each published frame with no catch: a frame that is not a valid AES-GCM
// envelope throws inside the socket's message handler, a wrong tag or a
// nonsense payload rejects a promise nobody handles, and Node exits on
// either. Anyone who knows a room's topic (the signaling operator, or anyone
// watching ws:// on the LAN) could stop every relay with one frame.
//
// This module replaces the stock 'message' handler of each signaling
// connection with one that decrypts and validates first and drops anything
// it cannot read, then does exactly what y-webrtc's handler does (announce
// and signal, with its glare rule). It must never throw, never reject
// unhandled, and never act on a frame it has not decrypted and checked.
//
// In a sync v2 room the bounded mesh (bounded-mesh.ts) decides instead who
// links to whom, and this path also carries its `here` and `busy` messages.
//
// It also addresses what it sends, outside the sealed payload, so our
// signaling server can send a frame to its one addressee instead of the
// whole room (server/signaling.js): each subscribe names the room's peer id
// (a random id per session), each message for one peer names that peer.
// Stock servers pass the fields on and stock clients ignore them.
import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebrtcConn, type WebrtcProvider } from 'y-webrtc';
import {
	BUSY_PEERS_READ,
	boundedMeshOf,
	type BoundedMesh,
	type MeshActions,
	type MeshSignal
} from './bounded-mesh';

/** The parts of y-webrtc's Room this path reads (all public fields). */
interface SignalingRoom {
	name: string;
	key: CryptoKey | null;
	peerId: string;
	webrtcConns: Map<
		string,
		{
			glareToken?: number;
			connected?: boolean;
			peer: {
				signal(data: unknown): void;
				destroy(): void;
				once(event: 'close', listener: () => void): void;
			};
		}
	>;
	bcConns: Set<string>;
	provider: WebrtcProvider;
}

/** The parts of y-webrtc's SignalingConn (a lib0 Observable) this path touches. */
interface SignalingSocket {
	providers: Set<WebrtcProvider>;
	_observers: Map<string, Set<(...args: unknown[]) => void>>;
	on(name: string, handler: (...args: unknown[]) => void): void;
	off(name: string, handler: (...args: unknown[]) => void): void;
	connected: boolean;
	send(message: unknown): void;
}

type SignalingMessage =
	| { type: 'announce'; from: string; to?: string }
	| {
			type: 'signal';
			from: string;
			to?: string;
			token?: unknown;
			signal: Record<string, unknown> & { type?: string };
	  }
	| MeshSignal;

/** Longest peer id accepted: y-webrtc's are 36-character UUIDs. */
const MAX_PEER_ID_LENGTH = 128;

const guarded = new WeakSet<object>();

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validate a decrypted payload; anything else is dropped. */
export function readSignalingMessage(value: unknown): SignalingMessage | null {
	if (!isRecord(value)) return null;
	const { type, from, to } = value;
	if (typeof from !== 'string' || from.length === 0 || from.length > MAX_PEER_ID_LENGTH)
		return null;
	if (to !== undefined && typeof to !== 'string') return null;
	if (type === 'announce') return { type, from, to };
	if (type === 'here' || type === 'busy') return readMeshSignal(type, from, to, value);
	if (type !== 'signal' || !isRecord(value.signal)) return null;
	const signal = value.signal;
	if (signal.type !== undefined && typeof signal.type !== 'string') return null;
	return { type, from, to, token: value.token, signal };
}

function isPeerId(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= MAX_PEER_ID_LENGTH;
}

/** The bounded mesh's messages: always addressed; a busy names at most BUSY_PEERS_READ peers. */
function readMeshSignal(
	type: 'here' | 'busy',
	from: string,
	to: string | undefined,
	value: Record<string, unknown>
): MeshSignal | null {
	if (to === undefined) return null;
	if (type === 'here')
		return typeof value.wants === 'boolean' ? { type, from, to, wants: value.wants } : null;
	if (!Array.isArray(value.peers) || value.peers.length > BUSY_PEERS_READ) return null;
	if (!value.peers.every(isPeerId)) return null;
	return { type, from, to, peers: [...value.peers] };
}

/** y-webrtc's frame: varString "AES-GCM", varUint8Array iv, varUint8Array ciphertext‖tag. */
export async function decryptSignalingPayload(base64: string, key: CryptoKey): Promise<unknown> {
	const decoder = decoding.createDecoder(buffer.fromBase64(base64));
	if (decoding.readVarString(decoder) !== 'AES-GCM') throw new Error('unknown algorithm');
	const iv = decoding.readVarUint8Array(decoder);
	const cipher = decoding.readVarUint8Array(decoder);
	if (iv.byteLength !== 12 || cipher.byteLength < 16) throw new Error('malformed envelope');
	const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher);
	return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
}

/** Encrypt as y-webrtc's `publishSignalingMessage` does (the frame decryptSignalingPayload reads). */
export async function encryptSignalingPayload(value: unknown, key: CryptoKey): Promise<string> {
	const plainEncoder = encoding.createEncoder();
	encoding.writeAny(plainEncoder, value as never);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const cipher = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv },
		key,
		encoding.toUint8Array(plainEncoder)
	);
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, 'AES-GCM');
	encoding.writeVarUint8Array(encoder, iv);
	encoding.writeVarUint8Array(encoder, new Uint8Array(cipher));
	return buffer.toBase64(encoding.toUint8Array(encoder));
}

/**
 * Publish to the room on every open signaling connection of its provider;
 * `to`, when the message is for one peer, lets the server send it to that
 * peer only.
 */
function publish(room: SignalingRoom, message: unknown, to?: string): void {
	const sockets = (room.provider.signalingConns as unknown as SignalingSocket[]).filter(
		(socket) => socket.connected
	);
	if (sockets.length === 0) return;
	const sent = room.key
		? encryptSignalingPayload(message, room.key).then((data) => ({ data }))
		: Promise.resolve({ data: message });
	void sent
		.then(({ data }) => {
			for (const socket of sockets)
				socket.send({
					type: 'publish',
					topic: room.name,
					data,
					...(to === undefined ? {} : { to })
				});
		})
		.catch(() => {});
}

/**
 * What y-webrtc's WebrtcConn is given as its signaling connection: it only
 * publishes through it (10.3), and everything it publishes is for one peer.
 */
function addressedTo(socket: SignalingSocket, peerId: string): Pick<SignalingSocket, 'send'> {
	return {
		send(frame) {
			socket.send(isRecord(frame) && frame.type === 'publish' ? { ...frame, to: peerId } : frame);
		}
	};
}

/**
 * y-webrtc's subscribe frames (on connect, for every room of the page, and
 * again after every closed link) with the peer id of each topic's room on
 * this connection, null for a room of another connection.
 */
function withPeerIds(socket: SignalingSocket, frame: unknown): unknown {
	if (!isRecord(frame) || frame.type !== 'subscribe' || !Array.isArray(frame.topics)) return frame;
	return {
		...frame,
		peerIds: frame.topics.map((topic) => findRoom(socket, topic)?.peerId ?? null)
	};
}

function findRoom(socket: SignalingSocket, topic: unknown): SignalingRoom | null {
	if (typeof topic !== 'string') return null;
	for (const provider of socket.providers) {
		const room = provider.room as unknown as SignalingRoom | null;
		if (room && room.name === topic) return room;
	}
	return null;
}

/** What y-webrtc's SignalingConn does with a decrypted message (10.3), minus its throws. */
function act(socket: SignalingSocket, room: SignalingRoom, message: SignalingMessage): void {
	const { webrtcConns, peerId } = room;
	if (
		message.from === peerId ||
		(message.to !== undefined && message.to !== peerId) ||
		room.bcConns.has(message.from)
	) {
		return;
	}
	const isNewPeer = !webrtcConns.has(message.from);
	const emitPeerChange = () => {
		if (!isNewPeer) return;
		room.provider.emit('peers', [
			{
				removed: [],
				added: [message.from],
				webrtcPeers: [...webrtcConns.keys()],
				bcPeers: [...room.bcConns]
			}
		]);
	};
	const connFor = (initiator: boolean) => {
		let conn = webrtcConns.get(message.from);
		if (!conn) {
			conn = new WebrtcConn(
				addressedTo(socket, message.from) as never,
				initiator,
				message.from,
				room as never
			) as unknown as NonNullable<typeof conn>;
			webrtcConns.set(message.from, conn);
		}
		return conn;
	};
	const mesh = boundedMeshOf(room.provider);
	if (mesh) {
		if (!actInMesh(mesh, room, message, meshActions(socket, room))) return;
	} else if (message.type === 'announce' || (message.type === 'here' && message.wants)) {
		// A bounded-mesh device never offers to a lower id: it asks with
		// `here`, and a device linking as y-webrtc does (the relay) offers.
		if (webrtcConns.size < room.provider.maxConns) {
			connFor(true);
			emitPeerChange();
		}
		return;
	}
	if (message.type !== 'signal') return;
	const existing = webrtcConns.get(message.from);
	if (message.signal.type === 'offer' && existing) {
		// Glare: both sides offered; the larger token wins (y-webrtc's rule).
		const localToken = existing.glareToken;
		if (localToken && localToken > (message.token as number)) return;
		existing.glareToken = undefined;
	}
	if (message.signal.type === 'answer') {
		// An answer for a connection we no longer have: y-webrtc would throw here.
		if (!existing) return;
		existing.glareToken = undefined;
	}
	if (message.to === peerId) {
		connFor(false).peer.signal(message.signal);
		emitPeerChange();
	}
}

/** What the bounded mesh does through signaling: offer a link (as y-webrtc's announce handler does), publish. */
function meshActions(socket: SignalingSocket, room: SignalingRoom): MeshActions {
	return {
		connect(peerId) {
			if (room.webrtcConns.has(peerId)) return;
			room.webrtcConns.set(
				peerId,
				new WebrtcConn(addressedTo(socket, peerId) as never, true, peerId, room as never) as never
			);
			room.provider.emit('peers', [
				{
					removed: [],
					added: [peerId],
					webrtcPeers: [...room.webrtcConns.keys()],
					bcPeers: [...room.bcConns]
				}
			]);
		},
		publish: (message) => publish(room, message, message.to)
	};
}

/**
 * The bounded mesh's part of a message: true when a signal should go on to
 * y-webrtc's handling, false when it was dealt with (or refused) here.
 */
function actInMesh(
	mesh: BoundedMesh,
	room: SignalingRoom,
	message: SignalingMessage,
	actions: MeshActions
): boolean {
	switch (message.type) {
		case 'announce':
			mesh.onAnnounce(room, message.from, actions);
			return false;
		case 'here':
			mesh.onHere(room, message.from, message.wants, actions);
			return false;
		case 'busy':
			mesh.onBusy(room, message.from, message.peers, actions);
			return false;
		case 'signal':
			if (room.webrtcConns.has(message.from)) return true;
			// Only an offer starts a link (the rest of a refused offer's signals are dropped).
			if (message.signal.type !== 'offer') return false;
			return mesh.takeOffer(room, message.from, actions);
	}
}

/**
 * A v2 room's rounds: `fill` (below its aim, link to passive peers; every
 * few seconds) or `shuffle` (at its aim, trade one link; every SHUFFLE_MS).
 */
export function tendMesh(provider: WebrtcProvider, round: 'fill' | 'shuffle'): void {
	const mesh = boundedMeshOf(provider);
	const room = provider.room as unknown as SignalingRoom | null;
	const socket = (provider.signalingConns as unknown as SignalingSocket[]).find(
		(conn) => conn.connected
	);
	if (!mesh || !room || !socket) return;
	try {
		mesh[round](room, meshActions(socket, room));
	} catch {
		// simple-peer can throw while the page tears down; the next round tries again.
	}
}

/**
 * Replace the stock message handler of each of `provider`'s signaling
 * connections (shared between providers; each is guarded once).
 */
export function guardSignaling(provider: WebrtcProvider): void {
	for (const conn of provider.signalingConns as unknown as SignalingSocket[]) {
		if (guarded.has(conn)) continue;
		guarded.add(conn);
		const send = conn.send.bind(conn);
		conn.send = (frame) => send(withPeerIds(conn, frame));
		for (const handler of [...(conn._observers.get('message') ?? [])]) conn.off('message', handler);
		// One frame at a time, in arrival order, each failure contained.
		let queue: Promise<void> = Promise.resolve();
		conn.on('message', (frame: unknown) => {
			queue = queue.then(() => receive(conn, frame)).catch(() => {});
		});
	}
}

async function receive(socket: SignalingSocket, frame: unknown): Promise<void> {
	if (!isRecord(frame) || frame.type !== 'publish') return;
	const room = findRoom(socket, frame.topic);
	if (!room) return;
	let payload: unknown = frame.data;
	if (room.key) {
		if (typeof frame.data !== 'string') return;
		try {
			payload = await decryptSignalingPayload(frame.data, room.key);
		} catch {
			return; // Not from anyone who holds the space key.
		}
	}
	const message = readSignalingMessage(payload);
	if (!message) return;
	try {
		act(socket, room, message);
	} catch {
		// simple-peer throws when signalled after it was destroyed; one frame lost, nothing else.
	}
}
