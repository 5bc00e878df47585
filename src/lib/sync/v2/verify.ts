// Verifying a range of one author's log against its signed head
// (docs/sync-protocol.md, "Signatures: heads, not entries"): one signature
// check and one SHA-256 per entry. Entries are untrusted bytes; every way a
// range can be wrong comes back as a typed refusal, never as a throw.
import {
	MAX_ENTRY_BYTES,
	NO_PREVIOUS,
	decodeEntry,
	hashEntry,
	sameBytes,
	type AuthorId,
	type Entry,
	type EntryHash
} from './entry';
import { isHeadSigned, type SignedHead } from './head';

export type Refusal =
	/** Bytes that are not an entry (cut short, unknown version or kind, trailing bytes). */
	| { reason: 'malformed'; seq: number | null; detail: string }
	/** An entry over MAX_ENTRY_BYTES: refused before it is read. */
	| { reason: 'oversize'; seq: number | null; bytes: number }
	/** The head was not signed by the author's key, or is another author's head. */
	| { reason: 'bad-signature' }
	/** An entry does not hash to what the signed chain says: forged or altered. */
	| { reason: 'broken-chain'; seq: number }
	/** Entries are not consecutive, or the head is not at the range's last entry. */
	| { reason: 'gap'; expected: number; got: number }
	/**
	 * A range the author signed that does not continue the chain this peer
	 * already holds: two different signed entries for one seq. The range and
	 * its head are the evidence; the caller keeps them beside its own head.
	 */
	| { reason: 'fork'; seq: number; head: SignedHead; entries: Uint8Array[] };

export interface VerifiedRange {
	author: AuthorId;
	from: number;
	to: number;
	entries: Entry[];
	hashes: EntryHash[];
	/** The `prev` of the first entry: the hash entry from − 1 must have, once it arrives. */
	prev: EntryHash;
}

export type RangeResult = ({ ok: true } & VerifiedRange) | ({ ok: false } & Refusal);

export interface RangeToVerify {
	author: AuthorId;
	/** Encoded entries a..b in order, as stored and sent. */
	entries: Uint8Array[];
	/** The author's signed head at b. */
	head: SignedHead;
	/**
	 * The hash this peer already holds for entry a − 1; undefined when it does
	 * not hold it yet (the range is then authenticated from above only, and
	 * `prev` of the result must be checked when a − 1 arrives).
	 */
	known?: EntryHash;
	/**
	 * The entries' hashes, already made (prehash.ts) over exactly `entries`;
	 * otherwise (or when they do not line up) they are made here.
	 */
	hashes?: readonly EntryHash[];
}

export function verifyRange({
	author,
	entries,
	head,
	known,
	hashes: given
}: RangeToVerify): RangeResult {
	if (entries.length === 0) return { ok: false, reason: 'malformed', seq: null, detail: 'empty' };
	// Sizes first: nothing oversized is read at all.
	for (const bytes of entries)
		if (bytes.length > MAX_ENTRY_BYTES)
			return { ok: false, reason: 'oversize', seq: null, bytes: bytes.length };
	const decoded: Entry[] = [];
	for (const bytes of entries) {
		const result = decodeEntry(bytes);
		if (!result.ok) {
			const seq = decoded.length > 0 ? decoded[0]!.seq + decoded.length : null;
			return result.reason === 'oversize'
				? { ok: false, reason: 'oversize', seq, bytes: result.bytes }
				: { ok: false, reason: 'malformed', seq, detail: result.detail };
		}
		decoded.push(result.entry);
	}
	const from = decoded[0]!.seq;
	for (let i = 1; i < decoded.length; i++)
		if (decoded[i]!.seq !== from + i)
			return { ok: false, reason: 'gap', expected: from + i, got: decoded[i]!.seq };
	const to = from + decoded.length - 1;
	if (head.seq !== to) return { ok: false, reason: 'gap', expected: to, got: head.seq };

	if (!sameBytes(head.author, author) || !isHeadSigned(head))
		return { ok: false, reason: 'bad-signature' };

	// Walk back from the signed hash: each entry names the hash of the one before.
	const hashes =
		given?.length === entries.length
			? [...given]
			: entries.map((bytes) => hashEntry(author, bytes));
	let expected: Uint8Array = head.hash;
	for (let i = decoded.length - 1; i >= 0; i--) {
		if (!sameBytes(hashes[i]!, expected))
			return { ok: false, reason: 'broken-chain', seq: from + i };
		expected = decoded[i]!.prev;
	}
	const prev = decoded[0]!.prev;
	if (from === 1 && !sameBytes(prev, NO_PREVIOUS))
		return { ok: false, reason: 'broken-chain', seq: 1 };
	// Everything above is signed and whole: disagreeing with a hash this peer
	// verified earlier means the author signed two histories.
	if (known && !sameBytes(prev, known))
		return { ok: false, reason: 'fork', seq: from - 1, head, entries };
	return { ok: true, author, from, to, entries: decoded, hashes, prev };
}
