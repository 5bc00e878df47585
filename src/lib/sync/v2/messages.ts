// The messages of sync protocol v2 (docs/sync-protocol.md, "Messages"): what
// crosses every link, as bytes. Reading never throws and never trusts a
// length: a peer's bytes become a typed message or a typed refusal.
// Compression, the space proof and the mesh's PRESENCE come with the
// transports (slices 3 and 4); BUSY travels on signaling (bounded-mesh.ts).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import { AUTHOR_BYTES, HASH_BYTES, type AuthorId, type EntryHash } from './entry';
import type { SignedHead } from './head';

export const PROTOCOL = 2;

export const MessageType = {
	hello: 1,
	want: 2,
	entries: 3,
	have: 4,
	fork: 5,
	digest: 6,
	// 7 is PRESENCE, read and sent by presence.ts before the engine sees a message.
	refused: 8
} as const;

const SIGNATURE_BYTES = 64;
export const DIGEST_BYTES = 32;

/** How far one author's log has got on a device. */
export interface LogTip {
	author: AuthorId;
	/** Entries 1..length are held, verified. */
	length: number;
	/** Hash of entry `length`. */
	hash: EntryHash;
	/** Encoded bytes of entries 1..length: how a joiner spreads its asks over holders. */
	bytes: number;
}

export type Message =
	| {
			type: 'hello';
			vector: LogTip[];
			/** Set on an anti-entropy probe: answer with a hello of your own. */
			replyWanted: boolean;
	  }
	| { type: 'want'; author: AuthorId; from: number; to: number }
	| { type: 'entries'; author: AuthorId; head: SignedHead; entries: Uint8Array[] }
	| { type: 'have'; author: AuthorId; seq: number; hash: EntryHash }
	/** Proof that `author` signed two histories: two ranges, each ending at its signed head. */
	| { type: 'fork'; author: AuthorId; ranges: [SignedRange, SignedRange] }
	| { type: 'refused'; author: AuthorId; seq: number; reason: string }
	/** Anti-entropy: a hash of the sender's log vector (logVectorDigest); unequal → hellos. */
	| { type: 'digest'; hash: Uint8Array };

export interface SignedRange {
	head: SignedHead;
	entries: Uint8Array[];
}

export type ReadResult = { ok: true; message: Message } | { ok: false; detail: string };

/** A reason names a rule; anything longer is noise a peer made up. */
const MAX_REASON = 64;

export function encodeMessage(message: Message): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeUint8(encoder, MessageType[message.type]);
	switch (message.type) {
		case 'hello':
			encoding.writeVarUint(encoder, PROTOCOL);
			encoding.writeVarUint(encoder, message.replyWanted ? 1 : 0);
			encoding.writeVarUint(encoder, message.vector.length);
			for (const tip of message.vector) {
				encoding.writeUint8Array(encoder, tip.author);
				encoding.writeVarUint(encoder, tip.length);
				encoding.writeUint8Array(encoder, tip.hash);
				encoding.writeVarUint(encoder, tip.bytes);
			}
			break;
		case 'want':
			encoding.writeUint8Array(encoder, message.author);
			encoding.writeVarUint(encoder, message.from);
			encoding.writeVarUint(encoder, message.to);
			break;
		case 'entries':
			encoding.writeUint8Array(encoder, message.author);
			writeRange(encoder, message);
			break;
		case 'have':
			encoding.writeUint8Array(encoder, message.author);
			encoding.writeVarUint(encoder, message.seq);
			encoding.writeUint8Array(encoder, message.hash);
			break;
		case 'fork':
			encoding.writeUint8Array(encoder, message.author);
			for (const range of message.ranges) writeRange(encoder, range);
			break;
		case 'refused':
			encoding.writeUint8Array(encoder, message.author);
			encoding.writeVarUint(encoder, message.seq);
			encoding.writeVarString(encoder, message.reason.slice(0, MAX_REASON));
			break;
		case 'digest':
			encoding.writeUint8Array(encoder, message.hash);
			break;
	}
	return encoding.toUint8Array(encoder);
}

class Malformed {
	constructor(readonly detail: string) {}
}

/** Read one message from a peer's bytes. */
export function decodeMessage(bytes: Uint8Array): ReadResult {
	const decoder = decoding.createDecoder(bytes);
	const left = () => bytes.length - decoder.pos;
	// lib0 trusts lengths it reads: every length is checked against what is left.
	const take = (length: number): Uint8Array => {
		if (length > left()) throw new Malformed('cut short');
		return decoding.readUint8Array(decoder, length);
	};
	const count = (each: number): number => {
		const n = decoding.readVarUint(decoder);
		if (n * each > left()) throw new Malformed('count larger than the message');
		return n;
	};
	const seq = (): number => {
		const n = decoding.readVarUint(decoder);
		if (!Number.isSafeInteger(n) || n < 1) throw new Malformed('bad seq');
		return n;
	};
	const author = () => take(AUTHOR_BYTES) as AuthorId;
	const hash = () => take(HASH_BYTES) as EntryHash;
	const range = (who: AuthorId): SignedRange => {
		const head: SignedHead = {
			author: who,
			seq: seq(),
			hash: hash(),
			signature: take(SIGNATURE_BYTES)
		};
		const n = count(1);
		if (n === 0) throw new Malformed('no entries');
		const entries: Uint8Array[] = [];
		for (let i = 0; i < n; i++) entries.push(take(decoding.readVarUint(decoder)));
		return { head, entries };
	};
	try {
		if (left() < 1) throw new Malformed('empty');
		const type = decoding.readUint8(decoder);
		let message: Message;
		switch (type) {
			case MessageType.hello: {
				const protocol = decoding.readVarUint(decoder);
				if (protocol !== PROTOCOL) throw new Malformed(`protocol ${protocol}`);
				const replyWanted = decoding.readVarUint(decoder) === 1;
				const vector: LogTip[] = [];
				const n = count(AUTHOR_BYTES + HASH_BYTES + 2);
				for (let i = 0; i < n; i++) {
					const tip = { author: author(), length: seq(), hash: hash(), bytes: 0 };
					tip.bytes = decoding.readVarUint(decoder);
					if (!Number.isSafeInteger(tip.bytes)) throw new Malformed('bad size');
					vector.push(tip);
				}
				message = { type: 'hello', vector, replyWanted };
				break;
			}
			case MessageType.want: {
				const who = author();
				const from = seq();
				const to = seq();
				if (to < from) throw new Malformed('empty range');
				message = { type: 'want', author: who, from, to };
				break;
			}
			case MessageType.entries: {
				const who = author();
				message = { type: 'entries', author: who, ...range(who) };
				break;
			}
			case MessageType.fork: {
				const who = author();
				message = { type: 'fork', author: who, ranges: [range(who), range(who)] };
				break;
			}
			case MessageType.have:
				message = { type: 'have', author: author(), seq: seq(), hash: hash() };
				break;
			case MessageType.refused: {
				const who = author();
				const at = seq();
				const length = decoding.readVarUint(decoder);
				if (length > MAX_REASON * 4) throw new Malformed('reason too long');
				const reason = new TextDecoder().decode(take(length));
				message = { type: 'refused', author: who, seq: at, reason };
				break;
			}
			case MessageType.digest:
				message = { type: 'digest', hash: take(DIGEST_BYTES) };
				break;
			default:
				throw new Malformed(`unknown type ${type}`);
		}
		if (left() !== 0) throw new Malformed('trailing bytes');
		return { ok: true, message };
	} catch (error) {
		// lib0 throws its own errors on a varuint cut short or too long.
		return { ok: false, detail: error instanceof Malformed ? error.detail : 'cut short' };
	}
}

/** SHA-256 of a log vector, in author order: equal digests, equal logs (DIGEST). */
export function logVectorDigest(vector: LogTip[]): Uint8Array {
	const sorted = [...vector].sort((a, b) => compareBytes(a.author, b.author));
	const encoder = encoding.createEncoder();
	for (const tip of sorted) {
		encoding.writeUint8Array(encoder, tip.author);
		encoding.writeVarUint(encoder, tip.length);
		encoding.writeUint8Array(encoder, tip.hash);
	}
	return sha256(encoding.toUint8Array(encoder));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
	for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
	return a.length - b.length;
}

function writeRange(encoder: encoding.Encoder, range: SignedRange): void {
	encoding.writeVarUint(encoder, range.head.seq);
	encoding.writeUint8Array(encoder, range.head.hash);
	encoding.writeUint8Array(encoder, range.head.signature);
	encoding.writeVarUint(encoder, range.entries.length);
	for (const entry of range.entries) encoding.writeVarUint8Array(encoder, entry);
}
