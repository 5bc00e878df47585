// Writer ids (docs/sync-protocol.md, "Terms"): a device's Yjs client id is
// derived from its author id and a writer epoch, not drawn at random, so any
// peer can recompute it and nobody writes under another device's id. 53 bits,
// the most a JavaScript number holds exactly; Yjs keeps them (client-id.test).
import { sha256 } from '@noble/hashes/sha2.js';
import * as encoding from 'lib0/encoding';
import { isLegacyClient } from '../../domain/writers';
import type { AuthorId } from './entry';

const CLIENT_CONTEXT = new TextEncoder().encode('barnraise/client');

/** First 53 bits of SHA-256("barnraise/client" ‖ author ‖ varuint epoch), big-endian. */
export function clientId(author: AuthorId, epoch: number): number {
	const encoder = encoding.createEncoder();
	encoding.writeUint8Array(encoder, CLIENT_CONTEXT);
	encoding.writeUint8Array(encoder, author);
	encoding.writeVarUint(encoder, epoch);
	const digest = sha256(encoding.toUint8Array(encoder));
	let high = 0;
	// The first 48 bits fit a number exactly; then 5 bits of the seventh byte.
	for (let i = 0; i < 6; i++) high = high * 256 + digest[i]!;
	return high * 32 + (digest[6]! >> 3);
}

/**
 * The first epoch from `from` on whose derived id is past the range of ids
 * from before signed logs (all but one in 2²¹ are): legacy content may be
 * under any id of that range, so a signed log never writes under one.
 */
export function signedEpoch(author: AuthorId, from: number): number {
	let epoch = from;
	while (isLegacyClient(clientId(author, epoch))) epoch += 1;
	return epoch;
}
