// One author's log as a device holds it (docs/sync-protocol.md, "Storage"):
// the verified entries base+1..length in order, their hashes, the signed
// heads it was given, and how far the entries have been applied to the doc.
// Entries are only ever added on top of a verified chain, so every seq from
// base+1 to `length` is there. `base` is 0 until the author compacts: entries
// below a checkpoint it applied are let go (the checkpoint holds them).
// What it never does: verify or judge (the engine does).
import type { AuthorId, Entry, EntryHash } from './entry';
import type { SignedHead } from './head';
import type { LogTip } from './messages';

/** Why an author's entries stop being applied on this device. */
export interface Stop {
	seq: number;
	reason: string;
}

/** Serve ranges in messages of about this size, where signed heads allow. */
export const PIECE_BYTES = 1024 * 1024;

export class AuthorLog {
	readonly author: AuthorId;
	/** Entries 1..base are not held: a checkpoint at base + 1 replaced them. */
	#base = 0;
	/** Hash of entry `base` (the checkpoint's `prev`), when base > 0. */
	#baseHash: EntryHash | undefined;
	/** Index i holds entry base + 1 + i, in these four arrays. */
	readonly #encoded: Uint8Array[] = [];
	readonly #hashes: EntryHash[] = [];
	/** Decoded entries not yet applied, by index; dropped once applied. */
	readonly #waiting: (Entry | undefined)[] = [];
	/** #offsets[i]: encoded bytes of entries base+1..base+i. */
	readonly #offsets: number[] = [0];
	/** Signed heads held, by seq; each authenticates its entry and all below. */
	readonly #heads = new Map<number, Uint8Array>();
	/** The seqs of #heads, ascending. */
	#headSeqs: number[] = [];
	/** Entries 1..applied are in the doc. */
	applied = 0;
	stopped: Stop | null = null;
	/** Whether an entry of the author's own signed changes was applied (no legacy import after). */
	signing = false;
	/** The item the next entry waits for (the judge said hold), until it arrives. */
	heldFor: { client: number; clock: number } | null = null;

	constructor(author: AuthorId) {
		this.author = author;
	}

	get length(): number {
		return this.#base + this.#encoded.length;
	}

	get base(): number {
		return this.#base;
	}

	/** Encoded bytes of the entries held. */
	get bytes(): number {
		return this.#offsets.at(-1)!;
	}

	/** Bytes of entries held but not yet applied (held entries are bounded). */
	get waitingBytes(): number {
		// A stopped log's entries are never applied: not held, and not counted.
		if (this.stopped) return 0;
		return this.bytes - this.#offsets[this.applied - this.#base]!;
	}

	hashAt(seq: number): EntryHash | undefined {
		if (seq === this.#base) return this.#baseHash;
		return seq > this.#base ? this.#hashes[seq - this.#base - 1] : undefined;
	}

	/**
	 * What this device can say it holds: as far as a signed head it holds
	 * reaches (all of it, but after held entries were let go), since that is
	 * what it can serve.
	 */
	tip(): LogTip {
		const length = this.servable;
		return {
			author: this.author,
			length,
			hash: this.hashAt(length)!,
			bytes: this.#offsets[length - this.#base]!
		};
	}

	/** The last seq a held signed head covers: ranges up to it can be served. */
	get servable(): number {
		const seqs = this.#headSeqs;
		return seqs.length > 0 ? Math.min(seqs.at(-1)!, this.length) : 0;
	}

	/**
	 * Add entries length+1.. on top, verified by the caller against `head`.
	 * `decoded` is null for entries already applied (this device's own).
	 */
	extend(encoded: Uint8Array[], hashes: EntryHash[], decoded: Entry[] | null, head: SignedHead) {
		for (const [i, bytes] of encoded.entries()) {
			this.#encoded.push(bytes);
			this.#hashes.push(hashes[i]!);
			this.#waiting.push(decoded?.[i]);
			this.#offsets.push(this.#offsets.at(-1)! + bytes.length);
		}
		if (!decoded) this.applied = this.length;
		this.#heads.set(head.seq, head.signature);
		this.#headSeqs.push(head.seq);
	}

	/**
	 * Rebuild from storage: `encoded` base+1..n as kept (`decoded` for each:
	 * only those from `applied` on are held), the heads kept (seq → signature).
	 */
	static restore(
		author: AuthorId,
		decoded: Entry[],
		encoded: Uint8Array[],
		hashes: EntryHash[],
		signatures: Map<number, Uint8Array>,
		applied: number
	): AuthorLog {
		const log = new AuthorLog(author);
		const first = decoded[0];
		if (first && first.seq > 1) {
			log.#base = first.seq - 1;
			log.#baseHash = first.prev;
		}
		for (const [i, bytes] of encoded.entries()) {
			log.#encoded.push(bytes);
			log.#hashes.push(hashes[i]!);
			log.#waiting.push(log.#base + i >= applied ? decoded[i] : undefined);
			log.#offsets.push(log.#offsets.at(-1)! + bytes.length);
		}
		for (const [seq, signature] of signatures)
			if (seq > log.#base && seq <= log.length) log.#heads.set(seq, signature);
		log.#headSeqs = [...log.#heads.keys()].sort((x, y) => x - y);
		log.applied = Math.max(applied, log.#base);
		return log;
	}

	/** The next entry to apply, or undefined when all are applied. */
	nextToApply(): Entry | undefined {
		return this.applied < this.length ? this.#waiting[this.applied - this.#base] : undefined;
	}

	markApplied(): void {
		this.#waiting[this.applied - this.#base] = undefined;
		this.applied += 1;
	}

	/**
	 * Let go of the entries below `seq`, a checkpoint now applied: it holds
	 * all of them, so a device that joins later is served it instead.
	 */
	rebase(seq: number): void {
		const drop = seq - 1 - this.#base;
		if (drop <= 0 || seq > this.applied) return;
		this.#baseHash = this.#hashes[drop - 1];
		this.#base = seq - 1;
		this.#encoded.splice(0, drop);
		this.#hashes.splice(0, drop);
		this.#waiting.splice(0, drop);
		const dropped = this.#offsets[drop]!;
		this.#offsets.splice(0, drop);
		for (let i = 0; i < this.#offsets.length; i++) this.#offsets[i]! -= dropped;
		for (const at of this.#headSeqs) if (at < seq) this.#heads.delete(at);
		this.#headSeqs = this.#headSeqs.filter((at) => at >= seq);
	}

	/**
	 * Start over at a checkpoint at `seq` that is not on top of what is held
	 * (a device joining after the author compacted): whatever was held below
	 * goes, since the checkpoint holds it, and everything before counts as
	 * applied once the checkpoint is.
	 */
	restartAt(seq: number, prev: EntryHash): void {
		this.#encoded.length = 0;
		this.#hashes.length = 0;
		this.#waiting.length = 0;
		this.#offsets.length = 1;
		this.#heads.clear();
		this.#headSeqs = [];
		this.heldFor = null;
		this.#base = seq - 1;
		this.#baseHash = prev;
		this.applied = this.#base;
	}

	/**
	 * Let go of the entries not yet applied (held entries are bounded). The
	 * signed heads above go too: until the rest arrives again, only what is
	 * covered by a head still held can be served.
	 */
	dropUnapplied(): void {
		const keep = this.applied - this.#base;
		this.#encoded.length = keep;
		this.#hashes.length = keep;
		this.#waiting.length = keep;
		this.#offsets.length = keep + 1;
		this.heldFor = null;
		for (const seq of this.#headSeqs) if (seq > this.applied) this.#heads.delete(seq);
		this.#headSeqs = this.#headSeqs.filter((seq) => seq <= this.applied);
	}

	/** The lowest seq at or above `seq` whose signed head this device holds. */
	headFrom(seq: number): number | undefined {
		return this.#headSeqs[firstAtLeast(this.#headSeqs, seq)];
	}

	/** The signed head at `seq`, if this device was given one. */
	headAt(seq: number): SignedHead | undefined {
		const signature = this.#heads.get(seq);
		const hash = this.hashAt(seq);
		return signature && hash && { author: this.author, seq, hash, signature };
	}

	/**
	 * Entries `from..` up to at least `to` (or as far as a signed head allows),
	 * split into pieces of about PIECE_BYTES that each end at a signed head.
	 */
	pieces(from: number, to: number): { entries: Uint8Array[]; head: SignedHead }[] {
		const result: { entries: Uint8Array[]; head: SignedHead }[] = [];
		const seqs = this.#headSeqs;
		const base = this.#base;
		// What a checkpoint replaced is served as the checkpoint.
		let start = Math.max(from, base + 1);
		for (let i = firstAtLeast(seqs, start); i < seqs.length; i++) {
			const seq = seqs[i]!;
			const next = seqs[i + 1];
			// Grow the piece while the next head still fits in it, up to `to`.
			const nextFits =
				next !== undefined &&
				this.#offsets[next - base]! - this.#offsets[start - 1 - base]! <= PIECE_BYTES;
			if (seq < to && nextFits) continue;
			result.push({
				entries: this.#encoded.slice(start - 1 - base, seq - base),
				head: this.headAt(seq)!
			});
			start = seq + 1;
			if (seq >= to) break;
		}
		return result;
	}

	/** Encoded entries from..to, as held (for evidence); from must be above base. */
	range(from: number, to: number): Uint8Array[] {
		return this.#encoded.slice(from - 1 - this.#base, to - this.#base);
	}
}

/** Index of the first number in ascending `sorted` that is ≥ `value`. */
function firstAtLeast(sorted: number[], value: number): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (sorted[middle]! < value) low = middle + 1;
		else high = middle;
	}
	return low;
}
