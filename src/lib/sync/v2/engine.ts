// The sync engine of protocol v2 over abstract links (docs/sync-protocol.md,
// "How a join is served", "Forwarding", "Rules every peer enforces"). It owns
// which log entries this device holds, which it asks whom for, and which it
// applies to the doc: every range from a link is verified against its signed
// head, every entry is judged by update-rules.ts before it touches the doc,
// and what is new is pushed once to each other link. Links are anything that
// carries bytes both ways in order (a data channel, a test's queue); what a
// link sends is untrusted and never throws here.
//
// Checkpoints (checkpoint.ts): a device that applied one lets go of the
// author's entries below it, and serves it to whoever asks for them.
//
// Elsewhere: compression (link-deflate.ts) and the bounded mesh
// (bounded-mesh.ts) are the transports'; the space proof was not built
// (docs/sync-protocol.md, "Messages").
import * as Y from 'yjs';
import { applyUpdateQuickly } from '../../doc/quick-apply';
import { CLOCK_SKEW_MS } from '../../domain/time';
import { judgeUpdate, type RecordChange } from '../../doc/update-rules';
import { isLegacyClient } from '../../domain/writers';
import { hexOf } from './author-key';
import { AuthorLog } from './author-log';
import { checkpointOf, decodeCheckpoint, sameContent, type Checkpoint } from './checkpoint';
import { clientId } from './client-id';
import {
	EntryKind,
	NO_PREVIOUS,
	authorKey,
	decodeEntry,
	hashEntry,
	sameBytes,
	type AuthorId,
	type Entry,
	type EntryHash
} from './entry';
import { isHeadSigned, type SignedHead } from './head';
import type { Progress, StoredLog } from './log-store';
import { decodeMessage, encodeMessage, logVectorDigest, type Message } from './messages';
import { ServedPieces } from './served-pieces';
import { verifyRange } from './verify';

/** The origin of every change the engine applies: not local, so never logged again. */
export const ENGINE_ORIGIN = Symbol('sync v2');

export interface Link {
	readonly id: string;
	send(bytes: Uint8Array): void;
}

/** Why an author's entry was refused: rules 2, 3 and 5, legacy imports, and kinds not yet supported. */
export type AuthorRefusal =
	| 'unreadable'
	| 'other-writer'
	| 'fact-changed'
	| 'fact-deleted'
	| 'unsupported-kind'
	| 'fork'
	/** A checkpoint that does not hold what the entries it replaces held. */
	| 'bad-checkpoint'
	| 'legacy-forged';

export type EngineEvent =
	/**
	 * An entry went into the doc: who wrote which records (attribution). A
	 * `legacy` one imported content from before signed logs: its records were
	 * written before signatures, not by `author`, which only brought them.
	 */
	| {
			type: 'accepted';
			author: AuthorId;
			seq: number;
			time: number;
			changes: RecordChange[];
			legacy?: true;
	  }
	/** An author's entry broke a rule; its log stops there on this device. */
	| { type: 'refused'; author: AuthorId; seq: number; reason: AuthorRefusal }
	/** The author signed two histories: both are kept as proof. */
	| { type: 'fork'; author: AuthorId; seq: number; evidence: ForkEvidence }
	/**
	 * A link sent something no honest peer sends (bad bytes, a forged range).
	 * `refusedEntries`: log entries that did not verify (forged, altered, out
	 * of order), none of them taken; the person is told, on that link.
	 */
	| { type: 'misbehaved'; link: string; detail: string; refusedEntries?: true }
	/** Keeping logs on this device failed: they sync, but will not be there after a restart. */
	| { type: 'not-saved'; detail: string };

/** Where the engine keeps what it is given (LocalLog; nothing in tests that need no restarts). */
export interface EngineStore {
	putRange(from: number, encoded: Uint8Array[], head: SignedHead): Promise<void>;
	dropAbove(author: AuthorId, length: number): Promise<void>;
	/** Let go of an author's entries (and heads) below `seq`, a checkpoint applied. */
	dropBelow(author: AuthorId, seq: number): Promise<void>;
	putProgress(author: AuthorId, progress: Progress): Promise<void>;
}

export interface ForkEvidence {
	ours: { head: SignedHead; entries: Uint8Array[] };
	theirs: { head: SignedHead; entries: Uint8Array[] };
}

export interface EngineOptions {
	now?: () => number;
	/** Run `task` after `ms`; setTimeout by default, a test's queue in tests. */
	schedule?: (task: () => void, ms: number) => void;
	random?: () => number;
	onEvent?: (event: EngineEvent) => void;
	/** Verified entries held (waiting for what they refer to) may take this much; past it they are let go and asked for again later. */
	maxWaitingBytes?: number;
	/** A range asked for with no progress for this long is asked of another link. */
	stallMs?: number;
	/** After a hello, wait this long for other links' hellos before asking, so asks spread. */
	planDelayMs?: number;
	store?: EngineStore;
	/**
	 * Runs the transaction that applies entries; `apply` puts each update it
	 * applies into `applied`. A plain `doc.transact` by default; the session's
	 * QuietUpdates spares Yjs encoding again what the entries already hold.
	 */
	transact?: (apply: (applied: Uint8Array[]) => void, origin: unknown) => void;
}

/** Fork proofs told to each new link: more forking authors than this in one space is an attack of its own. */
const MAX_PROOFS_TOLD = 32;

/** A link may be served twice what this device holds, plus this, refilled over SERVE_REFILL_MS. */
const SERVE_SLACK_BYTES = 1024 * 1024;
const SERVE_REFILL_MS = 60 * 60 * 1000;
/** All links together may be served as much as this many links each. */
const DEVICE_SERVE_LINKS = 8;
/** Serving buckets kept for link ids that closed (a peer that reconnects finds its own). */
const MAX_BUDGETS_KEPT = 256;

/** Derived client ids kept at hand (each costs a hash to compute again). */
const MAX_WRITERS_CACHED = 4096;

/**
 * Anti-entropy's period: a digest goes to one random link per tick (every
 * 20 s in the app), and a link's digest is answered at most once per period,
 * so a peer flooding digests costs one hello.
 */
export const DIGEST_PERIOD_MS = 20_000;

/**
 * While a range we asked for is still arriving, what came is applied at most
 * this often, and never sooner than twice the time the last apply took after
 * it: the person sees the space fill, and the doc's observers and the board
 * run a few times per join instead of once per piece (on a slow phone, an
 * apply of a large space can take longer than a second).
 */
const CATCH_UP_APPLY_MS = 1000;

/** A hello listing more authors than this is not from an honest device. */
const MAX_AUTHORS = 10_000;

interface LinkState {
	link: Link;
	/** How far the peer's logs go, as it said (hello, have) or as we sent it. */
	known: Map<string, KnownTip>;
	heardHello: boolean;
	/** What our logs were (#version) when we last sent this link a hello. */
	helloVersion: number;
	/** The last range served to this link for each author, and when. */
	served: Map<string, { from: number; to: number; at: number }>;
	/** Bytes this link may still be served (a bucket, refilled over SERVE_REFILL_MS), and when it was last filled. */

	/** Tips of this peer we asked about because their hash was not ours ("author/seq"). */
	forkChecks: Set<string>;
	/** When we last answered this link's digest with a hello. */
	digestAnsweredAt: number;
}

interface KnownTip {
	author: AuthorId;
	length: number;
	/** The hash the peer said its entry `length` has (hello, have), when it said. */
	hash?: EntryHash;
}

interface Ask {
	link: string;
	to: number;
	at: number;
}

export class SyncEngine {
	readonly #doc: Y.Doc;
	readonly #now: () => number;
	readonly #schedule: (task: () => void, ms: number) => void;
	readonly #random: () => number;
	readonly #onEvent: (event: EngineEvent) => void;
	readonly #maxWaitingBytes: number;
	readonly #stallMs: number;
	readonly #planDelayMs: number;
	readonly #store: EngineStore | undefined;
	readonly #transact: NonNullable<EngineOptions['transact']>;
	/** The updates the running apply transaction applied (empty outside one). */
	#applied: Uint8Array[] = [];
	readonly #logs = new Map<string, AuthorLog>();
	readonly #links = new Map<string, LinkState>();
	readonly #asks = new Map<string, Ask>();
	readonly #writers = new Map<string, number>();
	/** Serving buckets by link id, oldest first (see #spend). */
	readonly #budgets = new Map<string, { bytes: number; at: number }>();
	readonly #deviceBudget = { bytes: Infinity, at: 0 };
	/** Ranges sent lately, as encoded: the next link to need one gets the same bytes. */
	readonly #servedPieces = new ServedPieces();
	readonly #forks: { author: AuthorId; seq: number; evidence: ForkEvidence }[] = [];
	/** Authors whose held entries we let go for lack of room: not asked for again until `until`. */
	readonly #deferred = new Map<string, { until: number; backoff: number }>();
	#planQueued = false;
	/** Connections the transport is still opening (see `connecting`). */
	#connecting = 0;
	#applyQueued = false;
	/** When entries were last applied (catching up applies at most every CATCH_UP_APPLY_MS). */
	#appliedAt = -Infinity;
	/** How long the last apply took (the next one while catching up waits at least twice that). */
	#applyCost = 0;
	readonly #writing = new Set<Promise<void>>();
	/** Logs whose progress changed since it was last kept. */
	readonly #dirty = new Set<AuthorLog>();
	/** Goes up whenever a log grows: tells whether a hello we sent is out of date. */
	#version = 0;
	/** logVectorDigest of our vector at #version. */
	#digest: { version: number; hash: Uint8Array } | null = null;

	constructor(doc: Y.Doc, options: EngineOptions = {}) {
		this.#doc = doc;
		this.#now = options.now ?? Date.now;
		this.#schedule = options.schedule ?? ((task, ms) => void setTimeout(task, ms));
		this.#random = options.random ?? Math.random;
		this.#onEvent = options.onEvent ?? (() => {});
		this.#maxWaitingBytes = options.maxWaitingBytes ?? 64 * 1024 * 1024;
		this.#stallMs = options.stallMs ?? 10_000;
		this.#planDelayMs = options.planDelayMs ?? 100;
		this.#store = options.store;
		this.#transact = options.transact ?? ((apply, origin) => doc.transact(() => apply([]), origin));
	}

	/**
	 * Start from the logs kept on this device, before any link. The doc was
	 * loaded from its own store: an entry counts as applied when its changes
	 * are in the doc, whatever the kept progress says (the two are written
	 * apart, and either can be the one a crash cut short).
	 */
	load(stored: StoredLog[]): void {
		for (const kept of stored) {
			const decoded: Entry[] = [];
			const hashes: EntryHash[] = [];
			for (const bytes of kept.entries) {
				const result = decodeEntry(bytes);
				const seq = kept.first + decoded.length;
				// Kept from 1, or from a checkpoint on.
				const prev =
					hashes.at(-1) ??
					(seq === 1 || !result.ok || result.entry.kind !== EntryKind.checkpoint
						? NO_PREVIOUS
						: result.entry.prev);
				// Damaged or out of chain: what follows cannot be trusted or served.
				if (!result.ok || result.entry.seq !== seq || !sameBytes(result.entry.prev, prev)) break;
				decoded.push(result.entry);
				hashes.push(hashEntry(kept.author, bytes));
			}
			// Nothing readable kept: start from 1 again (peers send what is missing).
			const base = decoded.length > 0 ? kept.first - 1 : 0;
			const length = base + decoded.length;
			const at = (seq: number) => decoded[seq - base - 1]!;
			let applied = Math.max(base, Math.min(kept.progress.applied, length));
			while (applied > base && this.#inDoc(at(applied)) !== true) applied -= 1;
			// Forward only over entries proven in the doc: one that only deletes
			// (or was held) is judged and applied again, which is harmless.
			while (applied < length && this.#inDoc(at(applied + 1)) === true) applied += 1;
			const log = AuthorLog.restore(
				kept.author,
				decoded,
				kept.entries.slice(0, decoded.length),
				hashes,
				kept.signatures,
				applied
			);
			log.stopped = kept.progress.stopped;
			// A checkpoint (kept from one on) only ever replaces signed changes.
			log.signing =
				base > 0 ||
				decoded.slice(0, applied - base).some((entry) => entry.kind !== EntryKind.legacyImport);
			this.#logs.set(authorKey(kept.author), log);
			const proof = kept.progress.proof;
			// Kept by this device, but read back from storage like anything else.
			if (log.stopped && proof && !this.#forkOf(kept.author)) {
				const seq = forkedAt(kept.author, [proof.ours, proof.theirs]);
				if (seq !== null) this.#forks.push({ author: kept.author, seq, evidence: proof });
			}
		}
		this.#version += 1;
		this.#apply();
	}

	/**
	 * Whether an entry's new items are all in the doc; `unknown` for an entry
	 * that only deletes (applying it again is harmless).
	 */
	#inDoc(entry: Entry): boolean | 'unknown' {
		let vector: Map<number, number>;
		try {
			const update =
				entry.kind === EntryKind.checkpoint ? decodeCheckpoint(entry.body)?.update : entry.body;
			if (!update) return false;
			vector = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
		} catch {
			return false;
		}
		if (vector.size === 0) return 'unknown';
		for (const [client, clock] of vector)
			if (Y.getState(this.#doc.store, client) < clock) return false;
		return true;
	}

	/** This device's log vector: every author it holds entries of. */
	vector() {
		return [...this.#logs.values()].filter((log) => log.servable > 0).map((log) => log.tip());
	}

	/**
	 * What this device can serve past `lengths` (author key → entries the
	 * other device holds), in pieces that each end at a signed head: the
	 * contents of a bundle (space-bundle.ts).
	 */
	rangesAfter(lengths: ReadonlyMap<string, number>) {
		const ranges: { author: AuthorId; entries: Uint8Array[]; head: SignedHead }[] = [];
		for (const [key, log] of this.#logs) {
			const from = (lengths.get(key) ?? 0) + 1;
			if (from > log.servable) continue;
			for (const piece of log.pieces(from, log.servable))
				ranges.push({ author: log.author, ...piece });
		}
		return ranges;
	}

	/** How many entries of `author` this device holds. */
	lengthOf(author: AuthorId): number {
		return this.#logs.get(authorKey(author))?.length ?? 0;
	}

	/** Authors whose entries stopped being applied here, with why. */
	stops(): { author: AuthorId; seq: number; reason: string }[] {
		return [...this.#logs.values()].flatMap((log) =>
			log.stopped ? [{ author: log.author, ...log.stopped }] : []
		);
	}

	forks() {
		return [...this.#forks];
	}

	/** Entries held, verified, that are not (yet) in the doc. */
	waiting(): number {
		let count = 0;
		for (const log of this.#logs.values()) count += log.length - log.applied;
		return count;
	}

	addLink(link: Link): void {
		if (this.#links.has(link.id)) return;
		this.#links.set(link.id, {
			link,
			known: new Map(),
			heardHello: false,
			helloVersion: 0,
			served: new Map(),

			forkChecks: new Set(),
			digestAnsweredAt: -Infinity
		});
		this.#sendHello(link.id, false);
	}

	removeLink(id: string): void {
		if (!this.#links.delete(id)) return;
		for (const [key, ask] of this.#asks) if (ask.link === id) this.#asks.delete(key);
		this.#plan();
	}

	/**
	 * Add an entry this device wrote (its change is in the doc already), with
	 * its signed head, and push it to every link.
	 */
	addOwn(encoded: Uint8Array, head: SignedHead): void {
		const log = this.#log(head.author);
		if (head.seq !== log.length + 1) throw new Error(`Own entry ${head.seq} after ${log.length}`);
		log.extend([encoded], [hashEntry(head.author, encoded)], null, head);
		this.#version += 1;
		this.#dirty.add(log);
		this.#saveProgress();
		this.#forward(log, head.seq, null);
		const entry = decodeEntry(encoded);
		if (entry.ok && entry.entry.kind === EntryKind.checkpoint) this.#rebase(log, head.seq);
	}

	/**
	 * The checkpoint that would replace this device's own entries held now
	 * (the caller appends it to its log, then hands it to addOwn); null when
	 * there is nothing to compact.
	 */
	checkpointOf(author: AuthorId): Checkpoint | null {
		const log = this.#logs.get(authorKey(author));
		if (!log || log.length - log.base < 2) return null;
		return this.#checkpointOfHeld(log, log.length);
	}

	/** What a checkpoint of `log`'s entries held here up to `to` would hold. */
	#checkpointOfHeld(log: AuthorLog, to: number): Checkpoint | null {
		const entries: Entry[] = [];
		for (const bytes of log.range(log.base + 1, to)) {
			const result = decodeEntry(bytes);
			if (!result.ok) return null;
			entries.push(result.entry);
		}
		return checkpointOf(entries);
	}

	/** Bytes of an author's entries held now (what a checkpoint would replace). */
	heldBytes(author: AuthorId): number {
		return this.#logs.get(authorKey(author))?.bytes ?? 0;
	}

	/** A checkpoint at `seq` is applied: the entries below it go, here and in the store. */
	#rebase(log: AuthorLog, seq: number): void {
		if (seq - 1 <= log.base) return;
		log.rebase(seq);
		this.#save(() => this.#store?.dropBelow(log.author, seq));
	}

	/**
	 * Bytes from a link. Whatever they are, this returns normally. `hashes`:
	 * an ENTRIES message's entries hashed already (prehash.ts), in order. They
	 * are trusted as the engine's own, so only the code that hashed exactly
	 * these bytes may pass them (a link, never a peer's word).
	 */
	receive(linkId: string, bytes: Uint8Array, hashes?: EntryHash[]): void {
		const state = this.#links.get(linkId);
		if (!state) return;
		try {
			this.#receive(state, bytes, hashes);
		} catch (error) {
			// A fault of ours, not the peer's: the message is lost, the device goes on.
			this.#onEvent({ type: 'misbehaved', link: linkId, detail: `engine fault: ${String(error)}` });
		}
	}

	#receive(state: LinkState, bytes: Uint8Array, hashes?: EntryHash[]): void {
		const read = decodeMessage(bytes);
		if (!read.ok) return this.#misbehaved(state, read.detail);
		const message = read.message;
		switch (message.type) {
			case 'hello':
				return this.#onHello(state, message);
			case 'want':
				return this.#onWant(state, message);
			case 'entries':
				return this.#onEntries(state, message, hashes);
			case 'have': {
				// The peer's word on itself, like a hello: it may also say less than we guessed.
				const key = authorKey(message.author);
				if (state.known.has(key) || state.known.size < MAX_AUTHORS)
					state.known.set(key, {
						author: message.author,
						length: message.seq,
						hash: message.hash
					});
				return this.#plan();
			}
			case 'fork':
				return this.#onForkProof(state, message);
			case 'refused':
				// Diagnostics only: our own judgement is what counts.
				return;
			case 'digest':
				return this.#onDigest(state, message.hash);
		}
	}

	/**
	 * Another device's proof that an author signed two histories: checked, then
	 * the author stops here too and the proof goes on to our other links, so
	 * every device that hears of it stops (rule 5), not only those that hold
	 * both branches.
	 */
	#onForkProof(state: LinkState, message: Extract<Message, { type: 'fork' }>): void {
		const key = authorKey(message.author);
		// One proof per author is enough, whatever stopped it first: never passed on twice.
		if (this.#forkOf(message.author)) return;
		const seq = forkedAt(message.author, message.ranges);
		if (seq === null) return this.#misbehaved(state, `fork of ${key.slice(0, 8)} without proof`);
		const [ours, theirs] = message.ranges;
		this.#recordFork(this.#log(message.author), seq, { ours, theirs }, state.link.id);
	}

	/**
	 * Anti-entropy: a peer's digest unlike ours means one of us lacks
	 * something (or a forwarded range was lost): exchange hellos, and each
	 * plans what to ask for. On a link whose hello we never heard (lost, or
	 * not yet come), any digest asks for one. At most one answer per link per period.
	 */
	#onDigest(state: LinkState, hash: Uint8Array): void {
		const now = this.#now();
		if (now - state.digestAnsweredAt < DIGEST_PERIOD_MS) return;
		if (state.heardHello && sameBytes(hash, this.#ownDigest())) return;
		state.digestAnsweredAt = now;
		this.#sendHello(state.link.id, true);
	}

	#ownDigest(): Uint8Array {
		if (this.#digest?.version !== this.#version)
			this.#digest = { version: this.#version, hash: logVectorDigest(this.vector()) };
		return this.#digest.hash;
	}

	/** Send our digest to one random link. */
	#sendDigest(): void {
		const links = [...this.#links.keys()];
		if (links.length === 0) return;
		const target = links[Math.floor(this.#random() * links.length)]!;
		this.#send(target, { type: 'digest', hash: this.#ownDigest() });
	}

	/**
	 * Call every few seconds: re-asks stalled ranges, re-judges entries held
	 * for a time in the future, and sends a digest to one random link (anti-entropy).
	 */
	tick(): void {
		const now = this.#now();
		this.#servedPieces.forget(now);
		for (const [key, ask] of this.#asks) {
			if (now - ask.at <= this.#stallMs) continue;
			this.#asks.delete(key);
			// It said it held more and did not send it: ask someone else next.
			const tip = this.#links.get(ask.link)?.known.get(key);
			if (tip) tip.length = Math.min(tip.length, this.#logs.get(key)?.length ?? 0);
		}
		this.#apply();
		this.#sendDigest();
		this.#plan();
	}

	#onHello(state: LinkState, message: Extract<Message, { type: 'hello' }>): void {
		if (message.vector.length > MAX_AUTHORS) return this.#misbehaved(state, 'too many authors');
		// A hello is the peer's word on what it holds now: it replaces what we guessed.
		state.known = new Map(
			message.vector.map(({ author, length, hash }) => [
				authorKey(author),
				{ author, length, hash }
			])
		);
		const first = !state.heardHello;
		state.heardHello = true;
		if (first) this.#tellForks(state);
		// Our logs grew since our hello (nothing is pushed before the peer's): say so again.
		if (message.replyWanted || (first && state.helloVersion !== this.#version))
			this.#sendHello(state.link.id, false);
		if (!first) return this.#plan();
		// Links open together when a device joins: wait (a moment at most) for
		// their hellos so asks spread; with every link's hello here and none
		// still opening, ask now.
		if (this.#everyHelloIn()) return this.#plan();
		if (this.#planQueued) return;
		this.#planQueued = true;
		this.#schedule(() => {
			this.#planQueued = false;
			this.#plan();
		}, this.#planDelayMs);
	}

	#everyHelloIn(): boolean {
		return this.#connecting === 0 && [...this.#links.values()].every((link) => link.heardHello);
	}

	/**
	 * How many connections the transport is still opening (mesh links, as
	 * y-webrtc connects to the room's peers). While any is, a join waits its
	 * moment for their hellos, so its asks spread over holders; once none is
	 * and every link has said hello, it asks at once.
	 */
	connecting(count: number): void {
		this.#connecting = count;
		if (this.#planQueued && this.#everyHelloIn()) this.#plan();
	}

	#onWant(state: LinkState, message: Extract<Message, { type: 'want' }>): void {
		const key = authorKey(message.author);
		const log = this.#logs.get(key);
		if (!log || message.from > log.length) {
			// We hold less than the peer thinks: say how far, so it asks someone else.
			if (log && log.length > 0)
				this.#send(state.link.id, {
					type: 'have',
					author: log.author,
					seq: log.length,
					hash: log.hashAt(log.length)!
				});
			return;
		}
		// An honest peer asks again only after a stall: the same ask sooner is
		// a peer making us send the same bytes over and over.
		const to = Math.min(message.to, log.length);
		const served = state.served.get(key);
		const now = this.#now();
		if (served && served.from <= message.from && served.to >= to)
			if (now - served.at < this.#stallMs) return;
		state.served.set(key, { from: message.from, to, at: now });
		for (const piece of log.pieces(message.from, to)) {
			if (!this.#spend(state, piece.entries)) {
				// What an honest peer asks in an hour is about one copy of the space.
				return this.#misbehaved(state, 'asked for more than its share of the space');
			}
			this.#sendEntries(state, log, piece.entries, piece.head);
		}
	}

	/**
	 * Take `entries`' bytes from the link's serving budget: twice what this
	 * device holds plus SERVE_SLACK_BYTES, refilled over SERVE_REFILL_MS. An
	 * honest joiner asks for one copy, and again only what a lost link left
	 * out; asks that come back past the repeat guard, author after author,
	 * would otherwise make this device upload the space over and over.
	 */
	#spend(state: LinkState, entries: Uint8Array[]): boolean {
		let held = 0;
		for (const log of this.#logs.values()) held += log.bytes;
		const capacity = 2 * held + SERVE_SLACK_BYTES;
		const now = this.#now();
		const bytes = entries.reduce((sum, entry) => sum + entry.length, 0);
		// The link's bucket is kept by its id after it closes (a peer that
		// reconnects finds it as it left it), and the device has one for all
		// links together (new ids are cheap to make).
		const link = this.#budget(state.link.id, now);
		const device = this.#deviceBudget;
		for (const [budget, size] of [
			[link, capacity],
			[device, DEVICE_SERVE_LINKS * capacity]
		] as const) {
			budget.bytes = Math.min(
				size,
				budget.bytes + (size * Math.max(0, now - budget.at)) / SERVE_REFILL_MS
			);
			budget.at = now;
		}
		if (bytes > link.bytes || bytes > device.bytes) return false;
		link.bytes -= bytes;
		device.bytes -= bytes;
		return true;
	}

	/** A link id's serving bucket, kept for the most recent MAX_BUDGETS_KEPT ids. */
	#budget(linkId: string, now: number): { bytes: number; at: number } {
		let budget = this.#budgets.get(linkId);
		if (budget) this.#budgets.delete(linkId);
		else budget = { bytes: Infinity, at: now };
		this.#budgets.set(linkId, budget);
		if (this.#budgets.size > MAX_BUDGETS_KEPT)
			this.#budgets.delete(this.#budgets.keys().next().value!);
		return budget;
	}

	/**
	 * A range this device's log database holds and the engine does not: what
	 * another tab of this browser wrote or was given. Verified, judged and
	 * applied like a range from a link, and pushed on to every link.
	 */
	takeStored(author: AuthorId, entries: Uint8Array[], head: SignedHead): void {
		this.#onEntries(null, { type: 'entries', author, head, entries });
	}

	/** A range from a link, or (`state` null) from this device's own log database. */
	#onEntries(
		state: LinkState | null,
		message: Extract<Message, { type: 'entries' }>,
		hashes?: EntryHash[]
	): void {
		const { author, head, entries } = message;
		const key = authorKey(author);
		const to = head.seq;
		const from = to - entries.length + 1;
		if (from < 1) return this.#misbehaved(state, 'range starts before 1');
		// Made only once a range verifies: junk from a link costs no memory.
		const held = this.#logs.get(key);
		const have = held?.length ?? 0;
		if (held?.stopped) return;
		if (held && to <= have) return this.#checkDuplicate(held, head, entries);
		if (from > have + 1 && startsWithCheckpoint(entries[0]!, from)) {
			// The author compacted: the checkpoint holds everything before it, so
			// start there, letting go of whatever of the earlier entries is held.
			const result = verifyRange({ author, entries, head, hashes });
			if (!result.ok) return this.#refusedEntries(state, key, result.reason);
			const log = this.#log(author);
			// What this device holds of the author must be in it: a checkpoint
			// that leaves out something held here is a second history.
			if (!this.#holds(log, result.entries[0]!)) return this.#stop(log, from, 'bad-checkpoint');
			log.restartAt(from, result.prev);
			this.#asks.delete(key);
			// Only what the checkpoint replaced: never anything above it (another
			// tab's entries), and nothing at all when the range came from the store.
			if (state) this.#save(() => this.#store?.dropBelow(author, from));
			this.#dirty.add(log);
			return this.#onEntries(state, message, hashes);
		}
		if (from > have + 1) {
			// A gap: ask from ours on, of whoever holds it; the sender only if its head is signed.
			if (state && isHeadSigned(head)) this.#learn(state, author, to);
			return this.#plan();
		}
		const fresh = entries.slice(have + 1 - from);
		const result = verifyRange({
			author,
			entries: fresh,
			head,
			known: held?.hashAt(have),
			hashes: hashes?.slice(have + 1 - from)
		});
		if (!result.ok) {
			if (result.reason === 'fork' && held)
				return this.#fork(held, result.seq, { head: result.head, entries: result.entries });
			return this.#refusedEntries(state, key, result.reason);
		}
		if (state) this.#learn(state, author, to);
		const log = this.#log(author);
		log.extend(fresh, result.hashes, result.entries, head);
		this.#version += 1;
		if (state) this.#save(() => this.#store?.putRange(result.from, fresh, head));
		const ask = this.#asks.get(key);
		const answered = state !== null && ask?.link === state.link.id;
		if (ask) {
			if (log.length >= ask.to) this.#asks.delete(key);
			else ask.at = this.#now();
		}
		// Catching up with more of our ask on its way: apply at most every
		// CATCH_UP_APPLY_MS, so a join is a few transactions, not one per piece
		// (each re-runs the doc's observers and redraws the board).
		if (answered && log.length < ask!.to && this.#now() - this.#appliedAt < this.#catchUpGap())
			this.#applySoon();
		else this.#apply();
		if (this.#waitingBytes() > this.#maxWaitingBytes) {
			// Held entries (waiting for what they refer to) are bounded: let go of
			// this author's, and ask for them again after the next tick.
			log.dropUnapplied();
			this.#digest = null;
			this.#save(() => this.#store?.dropAbove(author, log.length));
			this.#asks.delete(key);
			// Asked for again later, and later still each time it has to be let go.
			const backoff = Math.min((this.#deferred.get(key)?.backoff ?? 10_000) * 2, 600_000);
			this.#deferred.set(key, { until: this.#now() + backoff, backoff });
		}
		if (log.length >= result.from) {
			// A pushed edit is new to the room: push it on. A range we asked for is
			// catching up, which others may be doing from someone else: only say we
			// have it, and let whoever lacks it ask (so nobody gets a second copy).
			if (answered) this.#announce(log, state.link.id);
			else this.#forward(log, result.from, state?.link.id ?? null);
		}
		this.#plan();
	}

	/** Whether a checkpoint holds every entry of `log` this device holds (none held: yes). */
	#holds(log: AuthorLog, entry: Entry): boolean {
		if (log.length === log.base) return true;
		const checkpoint = decodeCheckpoint(entry.body);
		const ours = this.#checkpointOfHeld(log, log.length);
		if (!checkpoint || !ours) return false;
		try {
			return sameContent(Y.mergeUpdates([checkpoint.update, ours.update]), checkpoint.update);
		} catch {
			return false;
		}
	}

	/** A range we hold already: nothing to do, unless the author signed another. */
	#checkDuplicate(log: AuthorLog, head: SignedHead, entries: Uint8Array[]): void {
		const ours = log.hashAt(head.seq);
		// Below a checkpoint applied here: nothing held to compare with.
		if (!ours || sameBytes(ours, head.hash) || !isHeadSigned(head)) return;
		this.#fork(log, head.seq, { head, entries });
	}

	#fork(log: AuthorLog, seq: number, theirs: ForkEvidence['theirs']): void {
		// Our side of the proof: from the fork on, up to the nearest head we hold
		// (not the whole log above it: the proof is kept and told to every link).
		const top = seq > log.base ? log.headFrom(seq) : undefined;
		const ourHead = top !== undefined && top <= log.servable ? log.headAt(top) : undefined;
		if (!ourHead) return this.#stop(log, seq, 'fork');
		const evidence = { ours: { head: ourHead, entries: log.range(seq, top!) }, theirs };
		this.#recordFork(log, seq, evidence, null);
	}

	#forkOf(author: AuthorId) {
		return this.#forks.find((fork) => sameBytes(fork.author, author));
	}

	/** Every fork proof this device holds, to a link that just said hello: it may not know. */
	#tellForks(state: LinkState): void {
		for (const { author, evidence } of this.#forks.slice(0, MAX_PROOFS_TOLD)) {
			// Told like a range served: from the link's budget.
			if (!this.#spend(state, [...evidence.ours.entries, ...evidence.theirs.entries])) return;
			this.#send(state.link.id, {
				type: 'fork',
				author,
				ranges: [evidence.ours, evidence.theirs]
			});
		}
	}

	#recordFork(log: AuthorLog, seq: number, evidence: ForkEvidence, from: string | null): void {
		if (this.#forkOf(log.author)) return;
		this.#forks.push({ author: log.author, seq, evidence });
		// Stopped before for another reason: the proof is kept with that stop.
		this.#dirty.add(log);
		this.#onEvent({ type: 'fork', author: log.author, seq, evidence });
		this.#stop(log, seq, 'fork');
		this.#saveProgress();
		const proof: Message = {
			type: 'fork',
			author: log.author,
			ranges: [evidence.ours, evidence.theirs]
		};
		for (const id of this.#links.keys()) if (id !== from) this.#send(id, proof);
	}

	#stop(log: AuthorLog, seq: number, reason: AuthorRefusal): void {
		if (log.stopped) return;
		log.stopped = { seq, reason };
		this.#dirty.add(log);
		this.#asks.delete(authorKey(log.author));
		if (reason !== 'fork') this.#onEvent({ type: 'refused', author: log.author, seq, reason });
	}

	/** While catching up, how long after the last apply the next one waits. */
	#catchUpGap(): number {
		return Math.max(CATCH_UP_APPLY_MS, 2 * this.#applyCost);
	}

	/** Apply what waits once the catch-up gap has passed (unless something applies it first). */
	#applySoon(): void {
		if (this.#applyQueued) return;
		this.#applyQueued = true;
		this.#schedule(
			() => {
				this.#applyQueued = false;
				this.#apply();
			},
			Math.max(0, this.#catchUpGap() - (this.#now() - this.#appliedAt))
		);
	}

	/** Apply what can be applied, in log order per author, until nothing moves. */
	#apply(): void {
		const started = this.#now();
		try {
			this.#applyPending();
		} finally {
			// Counted from when it ended: an apply slower than the gap must not
			// make every piece that arrived meanwhile an apply of its own.
			this.#appliedAt = this.#now();
			this.#applyCost = this.#appliedAt - started;
		}
	}

	#applyPending(): void {
		const pending = [...this.#logs.values()].filter((log) => log.nextToApply() && !log.stopped);
		if (pending.length === 0) return;
		const accepted: EngineEvent[] = [];
		// One transaction: the doc's observers run once for everything applied.
		this.#transact((applied) => {
			this.#applied = applied;
			for (let moved = true; moved;) {
				moved = false;
				for (const log of pending)
					while (!log.stopped) {
						// Held for an item not yet here: judging again before it comes would
						// decode the whole entry again for nothing.
						const waiting = log.heldFor;
						if (waiting && Y.getState(this.#doc.store, waiting.client) <= waiting.clock) break;
						const entry = log.nextToApply();
						if (!entry || !this.#applyOne(log, entry, accepted)) break;
						moved = true;
					}
			}
			this.#applied = [];
		}, ENGINE_ORIGIN);
		this.#saveProgress();
		for (const event of accepted) this.#onEvent(event);
	}

	/** Keep how far each changed log was applied (written apart from the doc: see load). */
	#saveProgress(): void {
		for (const log of this.#dirty) {
			const progress: Progress = { applied: log.applied, stopped: log.stopped };
			// The proof is kept with the stop, to tell devices met after a restart.
			const fork = log.stopped && this.#forkOf(log.author);
			if (fork) progress.proof = fork.evidence;
			this.#save(() => this.#store?.putProgress(log.author, progress));
		}
		this.#dirty.clear();
	}

	#save(write: () => Promise<void> | undefined): void {
		const writing = write()?.catch((error: unknown) =>
			this.#onEvent({
				type: 'not-saved',
				detail: error instanceof Error ? error.message : String(error)
			})
		);
		if (!writing) return;
		this.#writing.add(writing);
		void writing.finally(() => this.#writing.delete(writing));
	}

	/** Resolves once everything given to the store so far is written (or failed). */
	async whenSaved(): Promise<void> {
		while (this.#writing.size > 0) await Promise.allSettled([...this.#writing]);
	}

	/** Judge one entry and apply it if accepted; false when held or refused. */
	#applyOne(log: AuthorLog, entry: Entry, accepted: EngineEvent[]): boolean {
		if (entry.kind === EntryKind.checkpoint) return this.#applyCheckpoint(log, entry, accepted);
		const legacy = entry.kind === EntryKind.legacyImport;
		if (!legacy && entry.kind !== EntryKind.edit) {
			this.#stop(log, entry.seq, 'unsupported-kind');
			return false;
		}
		// The legacy cutoff, per author: old content comes only before the
		// author's own signed changes. Judged from its own log alone, so every
		// peer judges it alike; a device that signed changes cannot later bring
		// "old" content (docs/sync-protocol.md, "As built: slice 6").
		const writer = legacy ? 'legacy' : this.#writer(log.author, entry.epoch);
		if ((legacy && log.signing) || (writer !== 'legacy' && isLegacyClient(writer))) {
			this.#stop(log, entry.seq, 'legacy-forged');
			return false;
		}
		// Rule 4: a time beyond our clock and its allowed skew waits for the clock.
		if (entry.time > this.#now() + CLOCK_SKEW_MS) return false;
		return this.#applyUpdate(log, entry, entry.body, writer, accepted);
	}

	/**
	 * A checkpoint on top of the entries it replaces, all applied here: it
	 * must hold exactly what they held (or the author signed two histories of
	 * its content), and then they go. Where they were never held (a device
	 * that joined after the author compacted), it is judged and applied like
	 * an edit, under any of the epochs it names.
	 */
	#applyCheckpoint(log: AuthorLog, entry: Entry, accepted: EngineEvent[]): boolean {
		const checkpoint = decodeCheckpoint(entry.body);
		if (!checkpoint) {
			this.#stop(log, entry.seq, 'unreadable');
			return false;
		}
		if (entry.time > this.#now() + CLOCK_SKEW_MS) return false;
		if (log.base < entry.seq - 1) {
			const ours = this.#checkpointOfHeld(log, entry.seq - 1);
			if (!ours || !sameContent(ours.update, checkpoint.update)) {
				this.#stop(log, entry.seq, 'bad-checkpoint');
				return false;
			}
			log.markApplied();
			this.#dirty.add(log);
			this.#rebase(log, entry.seq);
			return true;
		}
		const writers = new Set(checkpoint.epochs.map((epoch) => this.#writer(log.author, epoch)));
		// As for an edit: no signed change under an id of the legacy range.
		if ([...writers].some(isLegacyClient)) {
			this.#stop(log, entry.seq, 'legacy-forged');
			return false;
		}
		return this.#applyUpdate(log, entry, checkpoint.update, writers, accepted);
	}

	/** Judge an entry's update and apply it if accepted; false when held or refused. */
	#applyUpdate(
		log: AuthorLog,
		entry: Entry,
		update: Uint8Array,
		writer: number | ReadonlySet<number> | 'legacy',
		accepted: EngineEvent[]
	): boolean {
		const legacy = writer === 'legacy';
		const judgement = judgeUpdate(this.#doc, update, writer);
		if (judgement.verdict === 'hold') {
			log.heldFor = judgement.waitingFor;
			return false;
		}
		log.heldFor = null;
		if (judgement.verdict === 'refuse') {
			this.#stop(log, entry.seq, judgement.reason);
			return false;
		}
		try {
			applyUpdateQuickly(this.#doc, update, ENGINE_ORIGIN);
			this.#applied.push(update);
		} catch {
			// The judge read it whole; Yjs still refused. Nothing more of this author.
			this.#stop(log, entry.seq, 'unreadable');
			return false;
		}
		log.markApplied();
		if (!legacy) log.signing = true;
		this.#dirty.add(log);
		accepted.push({
			type: 'accepted',
			author: log.author,
			seq: entry.seq,
			time: entry.time,
			changes: judgement.changes,
			...(legacy ? { legacy: true as const } : {})
		});
		return true;
	}

	#writer(author: AuthorId, epoch: number): number {
		const key = `${authorKey(author)}/${epoch}`;
		let id = this.#writers.get(key);
		if (id === undefined) {
			id = clientId(author, epoch);
			// A cache: a member inventing an epoch per entry must not make it grow for ever.
			if (this.#writers.size >= MAX_WRITERS_CACHED) this.#writers.clear();
			this.#writers.set(key, id);
		}
		return id;
	}

	/** Ask for what peers hold and we lack: one link per author, spread by what each is asked. */
	#plan(): void {
		const now = this.#now();
		const load = new Map<string, number>();
		for (const ask of this.#asks.values()) load.set(ask.link, (load.get(ask.link) ?? 0) + 1);
		const offers = new Map<string, { state: LinkState; length: number }[]>();
		for (const state of this.#links.values()) {
			if (!state.heardHello) continue;
			for (const [key, { length }] of state.known) {
				const list = offers.get(key) ?? [];
				list.push({ state, length });
				offers.set(key, list);
			}
		}
		this.#checkForks();
		for (const [key, list] of offers) {
			const log = this.#logs.get(key);
			const have = log?.length ?? 0;
			if (log?.stopped || (this.#deferred.get(key)?.until ?? 0) > now) continue;
			const ask = this.#asks.get(key);
			if (ask && this.#links.has(ask.link) && ask.to > have) continue;
			const holders = list.filter((offer) => offer.length > have);
			if (holders.length === 0) continue;
			// The furthest holders, and among them the least asked of.
			const furthest = Math.max(...holders.map((offer) => offer.length));
			const best = holders
				.filter((offer) => offer.length === furthest)
				.sort((a, b) => (load.get(a.state.link.id) ?? 0) - (load.get(b.state.link.id) ?? 0))[0]!;
			const author = best.state.known.get(key)!.author;
			this.#asks.set(key, { link: best.state.link.id, to: furthest, at: now });
			load.set(best.state.link.id, (load.get(best.state.link.id) ?? 0) + 1);
			this.#send(best.state.link.id, { type: 'want', author, from: have + 1, to: furthest });
		}
	}

	/**
	 * A peer whose log of an author is no longer than ours but ends on another
	 * hash holds a second history: ask it for that entry once, so its signed
	 * head shows the fork (#checkDuplicate) on both sides.
	 */
	#checkForks(): void {
		for (const state of this.#links.values())
			for (const [key, tip] of state.known) {
				const log = this.#logs.get(key);
				if (!log || log.stopped || !tip.hash || tip.length < 1 || tip.length > log.length) continue;
				const ours = log.hashAt(tip.length);
				// Below a checkpoint applied here there is nothing left to compare.
				if (!ours || sameBytes(ours, tip.hash)) continue;
				const check = `${key}/${tip.length}`;
				if (state.forkChecks.has(check)) continue;
				state.forkChecks.add(check);
				const seq = tip.length;
				this.#send(state.link.id, { type: 'want', author: tip.author, from: seq, to: seq });
			}
	}

	#learn(state: LinkState, author: AuthorId, seq: number): void {
		const key = authorKey(author);
		if (!state.known.has(key) && state.known.size >= MAX_AUTHORS) return;
		const length = Math.max(state.known.get(key)?.length ?? 0, seq);
		state.known.set(key, { author, length });
	}

	/** Push entries from..length of `log` to every link whose peer lacks them. */
	#forward(log: AuthorLog, from: number, except: string | null): void {
		const key = authorKey(log.author);
		for (const state of this.#links.values()) {
			if (state.link.id === except || !state.heardHello) continue;
			const known = state.known.get(key)?.length ?? 0;
			if (known >= log.length) continue;
			for (const piece of log.pieces(Math.max(from, known + 1), log.length))
				this.#sendEntries(state, log, piece.entries, piece.head);
		}
	}

	/** Tell every link whose peer lacks them that we hold `log`'s entries up to its length. */
	#announce(log: AuthorLog, except: string): void {
		const key = authorKey(log.author);
		for (const state of this.#links.values()) {
			if (state.link.id === except || !state.heardHello) continue;
			if ((state.known.get(key)?.length ?? 0) >= log.length) continue;
			this.#send(state.link.id, {
				type: 'have',
				author: log.author,
				seq: log.length,
				hash: log.hashAt(log.length)!
			});
		}
	}

	#sendEntries(state: LinkState, log: AuthorLog, entries: Uint8Array[], head: SignedHead): void {
		this.#learn(state, log.author, head.seq);
		const first = head.seq - entries.length + 1;
		const hash = log.hashAt(head.seq);
		const message = () => encodeMessage({ type: 'entries', author: log.author, head, entries });
		this.#put(
			state,
			hash
				? this.#servedPieces.message(
						`${authorKey(log.author)}/${first}/${head.seq}/${hexOf(hash)}`,
						this.#now(),
						message
					)
				: message()
		);
	}

	#log(author: AuthorId): AuthorLog {
		const key = authorKey(author);
		let log = this.#logs.get(key);
		if (!log) {
			log = new AuthorLog(author);
			this.#logs.set(key, log);
		}
		return log;
	}

	#waitingBytes(): number {
		let bytes = 0;
		for (const log of this.#logs.values()) bytes += log.waitingBytes;
		return bytes;
	}

	#sendHello(linkId: string, replyWanted: boolean): void {
		const state = this.#links.get(linkId);
		if (state) state.helloVersion = this.#version;
		this.#send(linkId, { type: 'hello', vector: this.vector(), replyWanted });
	}

	#misbehaved(state: LinkState | null, detail: string): void {
		this.#onEvent({ type: 'misbehaved', link: state?.link.id ?? 'this device', detail });
	}

	/** A range of `key`'s log that did not verify: none of it was taken. */
	#refusedEntries(state: LinkState | null, key: string, reason: string): void {
		this.#onEvent({
			type: 'misbehaved',
			link: state?.link.id ?? 'this device',
			detail: `entries of ${key.slice(0, 8)}: ${reason}`,
			refusedEntries: true
		});
	}

	#send(linkId: string, message: Message): void {
		const state = this.#links.get(linkId);
		if (state) this.#put(state, encodeMessage(message));
	}

	#put(state: LinkState, bytes: Uint8Array): void {
		try {
			state.link.send(bytes);
		} catch {
			// A link that cannot send is closing; its transport removes it.
		}
	}
}

/**
 * The first seq at which two signed ranges of one author disagree, or null
 * when they do not prove a fork. Each range vouches for the hash of every
 * entry it holds and, through its first entry's `prev`, of the one before.
 */
/** Whether `bytes` is a checkpoint entry at `seq` (read again, verified, before use). */
function startsWithCheckpoint(bytes: Uint8Array, seq: number): boolean {
	const result = decodeEntry(bytes);
	return result.ok && result.entry.kind === EntryKind.checkpoint && result.entry.seq === seq;
}

export function forkedAt(
	author: AuthorId,
	ranges: [SignedRangeLike, SignedRangeLike]
): number | null {
	const vouched: Map<number, EntryHash>[] = [];
	for (const range of ranges) {
		const result = verifyRange({ author, entries: range.entries, head: range.head });
		if (!result.ok) return null;
		const hashes = new Map<number, EntryHash>();
		if (result.from > 1) hashes.set(result.from - 1, result.prev);
		result.hashes.forEach((hash, i) => hashes.set(result.from + i, hash));
		vouched.push(hashes);
	}
	let first: number | null = null;
	for (const [seq, hash] of vouched[0]!) {
		const other = vouched[1]!.get(seq);
		if (other && !sameBytes(hash, other) && (first === null || seq < first)) first = seq;
	}
	return first;
}

interface SignedRangeLike {
	head: SignedHead;
	entries: Uint8Array[];
}
