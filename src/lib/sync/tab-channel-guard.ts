// Our receive path for the space's BroadcastChannel, which y-webrtc uses to
// sync with other tabs of this browser. y-webrtc 10.3 decrypts each message
// there with no catch: a message that is not a sealed envelope throws inside
// the channel's message handler, a wrong key or nonsense inside rejects a
// promise nobody handles, and a number makes it allocate a buffer that many
// bytes long. Any script of this origin can post on the channel (another tab,
// an extension's page script), and the relay runs the same code under Node,
// where an unhandled rejection ends the process.
//
// This module wraps the room's stock subscriber rather than editing
// y-webrtc: it drops what is not bytes or not shaped like an envelope, and
// catches whatever the stock path still throws or rejects. A message it drops
// costs that message only; the tab keeps syncing. It must never throw.
import * as bc from 'lib0/broadcastchannel';
import * as decoding from 'lib0/decoding';
import type { WebrtcProvider } from 'y-webrtc';

/** The parts of y-webrtc's Room this module touches. */
interface TabRoom {
	name: string;
	key: CryptoKey | null;
	_bcSubscriber: (data: unknown, origin?: unknown) => unknown;
}

const guarded = new WeakSet<object>();

/** The message as bytes, or null when it is not bytes at all. */
function asBytes(data: unknown): Uint8Array | null {
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data))
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return null;
}

/** Shaped like y-webrtc's envelope: varString "AES-GCM", a 12-byte iv, ciphertext with its tag. */
export function isSealedEnvelope(bytes: Uint8Array): boolean {
	try {
		const decoder = decoding.createDecoder(bytes);
		if (decoding.readVarString(decoder) !== 'AES-GCM') return false;
		const iv = decoding.readVarUint8Array(decoder);
		const cipher = decoding.readVarUint8Array(decoder);
		return iv.byteLength === 12 && cipher.byteLength >= 16 && !decoding.hasContent(decoder);
	} catch {
		return false;
	}
}

function guardRoom(room: TabRoom): void {
	if (guarded.has(room)) return;
	guarded.add(room);
	const stock = room._bcSubscriber;
	const subscriber = (data: unknown, origin?: unknown): void => {
		const bytes = asBytes(data);
		if (!bytes || (room.key && !isSealedEnvelope(bytes))) return;
		try {
			Promise.resolve(stock(bytes, origin)).catch(() => {
				// Sealed under another key, or nonsense inside: not from this space's tabs.
			});
		} catch {
			// y-webrtc's reader threw before it returned its promise: one message lost.
		}
	};
	// Subscribe the guard before dropping the stock subscriber, so the channel stays open.
	bc.subscribe(room.name, subscriber);
	bc.unsubscribe(room.name, room._bcSubscriber);
	// y-webrtc's connect() and disconnect() use this field: later connects get the guard too.
	room._bcSubscriber = subscriber;
}

/**
 * Guard `provider`'s BroadcastChannel subscriber. y-webrtc makes the room
 * (and subscribes) once the password has become a key, so this waits for
 * that, after y-webrtc's own step.
 */
export function guardTabChannel(provider: WebrtcProvider): void {
	void Promise.resolve(provider.key)
		.then(() => {
			const room = provider.room as unknown as TabRoom | null;
			if (room) guardRoom(room);
		})
		.catch(() => {
			// No key, no room: nothing subscribed to guard.
		});
}
