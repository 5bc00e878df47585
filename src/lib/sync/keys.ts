// A space's secrets. One random 256-bit space key is the membership
// credential; everything else is derived from it with HKDF-SHA-256, so a
// signaling server sees only a room name that reveals neither the key nor
// the space's name. Pure JS (@noble/hashes): crypto.subtle does not exist on
// a plain-http LAN origin.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64Url, toBase64Url, type SpaceId } from '../domain/ids';

export const SPACE_KEY_BYTES = 32;
const SALT = new TextEncoder().encode('barnraise/v1');

export interface SpaceSecrets {
	/** Public-ish local handle: names the IndexedDB database and the URL. */
	spaceId: SpaceId;
	/** Signaling topic. */
	roomName: string;
	/** y-webrtc password: encrypts signaling and BroadcastChannel messages. */
	password: string;
	/** For encrypted bundles (sneakernet). */
	bundleKey: Uint8Array;
	/** Seals pairing codes (serverless WebRTC offers and answers). */
	pairingKey: Uint8Array;
}

export function generateSpaceKey(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(SPACE_KEY_BYTES));
}

function derive(key: Uint8Array, purpose: string, length: number): Uint8Array {
	return hkdf(sha256, key, SALT, new TextEncoder().encode(purpose), length);
}

export function deriveSpaceSecrets(key: Uint8Array): SpaceSecrets {
	if (key.byteLength !== SPACE_KEY_BYTES) throw new Error('A space key is 32 bytes.');
	return {
		spaceId: toBase64Url(derive(key, 'space-id', 12)) as SpaceId,
		roomName: `barnraise-${toBase64Url(derive(key, 'signaling-room', 24))}`,
		password: toBase64Url(derive(key, 'signaling-password', 32)),
		bundleKey: derive(key, 'bundle', 32),
		pairingKey: derive(key, 'pairing', 32)
	};
}

export function encodeSpaceKey(key: Uint8Array): string {
	return toBase64Url(key);
}

export function decodeSpaceKey(text: string): Uint8Array | null {
	const bytes = fromBase64Url(text);
	return bytes && bytes.byteLength === SPACE_KEY_BYTES ? bytes : null;
}
