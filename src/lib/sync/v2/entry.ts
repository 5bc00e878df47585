// The entry of a signed per-device log (docs/sync-protocol.md, "Entries"):
// its binary form, its hash, and reading one from untrusted bytes. Pure: no
// Yjs, no Svelte, no storage. Stored and sent without the author (the log it
// belongs to names it), but the hash covers the author, so an entry cannot be
// moved into someone else's log.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { sha256 } from '@noble/hashes/sha2.js';

/** An author id: a device's Ed25519 public key for one space. */
export type AuthorId = Uint8Array & { readonly __brand: 'AuthorId' };
/** SHA-256 of an entry's encoding (with its author). */
export type EntryHash = Uint8Array & { readonly __brand: 'EntryHash' };

export const ENTRY_VERSION = 1;
export const AUTHOR_BYTES = 32;
export const HASH_BYTES = 32;
/** A 2 MiB picture base map fits with room; a larger remote entry is refused. */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
/** A body that leaves room for the entry's own fields within MAX_ENTRY_BYTES. */
export const MAX_ENTRY_BODY_BYTES = MAX_ENTRY_BYTES - 1024;

export const EntryKind = { edit: 0, checkpoint: 1, legacyImport: 2 } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];
const KINDS: readonly number[] = Object.values(EntryKind);

export interface Entry {
	/** 1, 2, 3, … with no gaps. */
	seq: number;
	/** Hash of entry seq − 1; zeros for seq 1. */
	prev: EntryHash;
	kind: EntryKind;
	/** The writer epoch whose derived client id this entry's Yjs structs use. */
	epoch: number;
	/** ms since 1970 on the author's clock: a claim, not a fact. */
	time: number;
	/** A Yjs update (v1 encoding), as the author's doc emitted it. */
	body: Uint8Array;
}

export const NO_PREVIOUS = new Uint8Array(HASH_BYTES) as EntryHash;

export function isAuthorId(bytes: Uint8Array): bytes is AuthorId {
	return bytes.length === AUTHOR_BYTES;
}

export { authorKey } from './author-key';

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** The stored and sent form: the spec's encoding without the author. */
export function encodeEntry(entry: Entry): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, ENTRY_VERSION);
	encoding.writeVarUint(encoder, entry.seq);
	encoding.writeUint8Array(encoder, entry.prev);
	encoding.writeVarUint(encoder, entry.kind);
	encoding.writeVarUint(encoder, entry.epoch);
	encoding.writeVarUint(encoder, entry.time);
	encoding.writeVarUint8Array(encoder, entry.body);
	return encoding.toUint8Array(encoder);
}

/**
 * SHA-256 of the spec's encoding: the version, the author, then the rest of
 * `encoded` as stored. Hashed in pieces so a large body is never copied.
 */
export function hashEntry(author: AuthorId, encoded: Uint8Array): EntryHash {
	// The version is a varuint of 1: one byte. Anything else is refused by
	// decodeEntry, and hashing it the same way keeps this total.
	return sha256
		.create()
		.update(encoded.subarray(0, 1))
		.update(author)
		.update(encoded.subarray(1))
		.digest() as EntryHash;
}

export type DecodeResult =
	| { ok: true; entry: Entry }
	| { ok: false; reason: 'oversize'; bytes: number }
	| { ok: false; reason: 'malformed'; detail: string };

/** Read an entry from bytes a peer sent: never throws, never reads past `encoded`. */
export function decodeEntry(encoded: Uint8Array): DecodeResult {
	if (encoded.length > MAX_ENTRY_BYTES)
		return { ok: false, reason: 'oversize', bytes: encoded.length };
	const malformed = (detail: string): DecodeResult => ({ ok: false, reason: 'malformed', detail });
	try {
		const decoder = decoding.createDecoder(encoded);
		// lib0's readUint8Array trusts its length: on a view of a larger buffer
		// it would read past the view, so every length is checked first.
		const take = (length: number): Uint8Array | null =>
			length <= encoded.length - decoder.pos ? decoding.readUint8Array(decoder, length) : null;
		const version = decoding.readVarUint(decoder);
		if (version !== ENTRY_VERSION) return malformed(`unknown version ${version}`);
		const seq = decoding.readVarUint(decoder);
		if (seq < 1) return malformed('seq 0');
		const prev = take(HASH_BYTES);
		if (!prev) return malformed('cut short');
		const kind = decoding.readVarUint(decoder);
		if (!KINDS.includes(kind)) return malformed(`unknown kind ${kind}`);
		const epoch = decoding.readVarUint(decoder);
		const time = decoding.readVarUint(decoder);
		const body = take(decoding.readVarUint(decoder));
		if (!body) return malformed('cut short');
		if (![seq, epoch, time].every(Number.isSafeInteger)) return malformed('number out of range');
		if (decoder.pos !== encoded.length) return malformed('trailing bytes');
		return {
			ok: true,
			entry: { seq, prev: prev as EntryHash, kind: kind as EntryKind, epoch, time, body }
		};
	} catch {
		// lib0 throws on a varuint cut short or beyond 2⁵³.
		return malformed('cut short or out of range');
	}
}
