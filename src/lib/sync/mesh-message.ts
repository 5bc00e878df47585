// What a member's device may send down a mesh link, checked before y-webrtc
// reads it. y-webrtc hands a sync step 2 or update straight to Y.applyUpdate
// through y-protocols, which catches the error and only logs it: an update
// cut short after its structs is then half applied (its structs stay, the
// rest is lost, and the half goes on to storage and every other link). Its
// reader also throws out of the channel's message handler on an empty
// message or an unknown sync kind. Links carry whole messages only (the
// chunked channel rebuilds them), and DTLS keeps bytes from changing on the
// way, so such a message comes from a broken or hostile device.
//
// A refused message closes its link (chunked-channel.ts): the other device
// believes this one now has what it sent, later edits built on the lost one
// would wait in Yjs' pending store for good, and a fresh link starts with a
// fresh sync step 1 and 2 — which repairs a one-off fault, and makes a
// device that keeps sending bad updates pay a whole handshake for each.
//
// Framing (y-webrtc 10.3): varUint message type, then for a sync message
// (0) a varUint sync kind (0 step 1, 1 step 2, 2 update) and a varUint8Array
// payload; 3 asks for presence, 1 carries presence; 4 is BroadcastChannel-only.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { isWholeUpdate } from '../doc/whole-update';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** Why a mesh message was refused: an update that is not whole, or not a message at all. */
export type MeshRefusal = 'broken-update' | 'unreadable-message';

/** Null when y-webrtc may read `message`; otherwise why it must not. Never throws. */
export function refuseMeshMessage(message: Uint8Array): MeshRefusal | null {
	try {
		const decoder = decoding.createDecoder(message);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_QUERY_AWARENESS) return null;
		if (type === MESSAGE_AWARENESS) {
			decoding.readVarUint8Array(decoder);
			return null;
		}
		if (type !== MESSAGE_SYNC) return 'unreadable-message';
		const kind = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (kind === SYNC_STEP_1) {
			// y-webrtc answers with the update since this state vector: it must read.
			Y.decodeStateVector(payload);
			return null;
		}
		if (kind !== SYNC_STEP_2 && kind !== SYNC_UPDATE) return 'unreadable-message';
		return isWholeUpdate(payload) ? null : 'broken-update';
	} catch {
		return 'unreadable-message';
	}
}
