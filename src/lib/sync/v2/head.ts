// Device keys and signed heads (docs/sync-protocol.md, "Signatures: heads,
// not entries"). A head (author, seq, hash of entry seq, signature) covers
// its entry and, through the hash chain, every entry before it, so a device
// signs once per append and a receiver checks one signature per range.
// Pure: the secret key is passed in and never leaves the caller.
import { ed25519 } from '@noble/curves/ed25519.js';
import * as encoding from 'lib0/encoding';
import { isAuthorId, sameBytes, type AuthorId, type EntryHash } from './entry';

export interface DeviceKey {
	/** Never stored outside this device's log database, never sent. */
	secretKey: Uint8Array;
	author: AuthorId;
}

export interface SignedHead {
	author: AuthorId;
	seq: number;
	hash: EntryHash;
	signature: Uint8Array;
}

/** Keeps a head signature from ever being valid as a signature of anything else. */
const HEAD_CONTEXT = 'barnraise/head';

export function generateDeviceKey(): DeviceKey {
	const { secretKey, publicKey } = ed25519.keygen();
	return { secretKey, author: publicKey as AuthorId };
}

function headMessage(author: AuthorId, seq: number, hash: EntryHash): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, HEAD_CONTEXT);
	encoding.writeUint8Array(encoder, author);
	encoding.writeVarUint(encoder, seq);
	encoding.writeUint8Array(encoder, hash);
	return encoding.toUint8Array(encoder);
}

export function signHead(key: DeviceKey, seq: number, hash: EntryHash): SignedHead {
	const signature = ed25519.sign(headMessage(key.author, seq, hash), key.secretKey);
	return { author: key.author, seq, hash, signature };
}

/** Whether `head` was signed by its author's key. Never throws on bad input. */
export function isHeadSigned(head: SignedHead): boolean {
	if (
		!isAuthorId(head.author) ||
		!(Number.isSafeInteger(head.seq) && head.seq >= 1) ||
		head.hash.length !== 32 ||
		head.signature.length !== 64
	)
		return false;
	try {
		return ed25519.verify(
			head.signature,
			headMessage(head.author, head.seq, head.hash),
			head.author
		);
	} catch {
		return false;
	}
}

/**
 * Proof that an author forked its log: two heads it signed for one seq with
 * different hashes. Both are kept as evidence (rule 5).
 */
export function isForkProof(a: SignedHead, b: SignedHead): boolean {
	return (
		sameBytes(a.author, b.author) &&
		a.seq === b.seq &&
		!sameBytes(a.hash, b.hash) &&
		isHeadSigned(a) &&
		isHeadSigned(b)
	);
}
