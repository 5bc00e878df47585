// Sync protocol v2 for one open space (docs/sync-protocol.md): the device's
// log database, the doc writing under this tab's derived client id, the
// batcher turning local changes into signed entries, and the engine that
// verifies, judges and exchanges entries over whatever links the session
// gives it. Opened after the doc has loaded from IndexedDB, closed with the
// session. Links come from mesh-links.ts (later also pairing, bundles and
// the relay); tabs of this browser share the log database, so a tab only
// says "appended up to seq" on a BroadcastChannel and the others read the
// entries from the database (y-webrtc links tabs only through its own
// BroadcastChannel, which under v2 carries a throwaway doc).
import type * as Y from 'yjs';
import type { QuietUpdates } from '../../doc/quiet-updates';
import type { SpaceId } from '../../domain/ids';
import { EntryBatcher } from './batcher';
import { encodeCheckpoint } from './checkpoint';
import { SyncEngine, type EngineEvent, type Link } from './engine';
import { EntryKind, MAX_ENTRY_BODY_BYTES, sameBytes, type EntryHash } from './entry';
import { holdsSignedContent, legacyContent, markSigned } from './legacy';
import { unloggedChanges } from './unlogged';
import { splitUpdate } from '../../doc/split-update';
import type { SignedHead } from './head';
import { LocalLog, type LocalLogOptions, type StoredLog } from './log-store';

export interface SignedSyncOptions extends LocalLogOptions {
	onEvent?: (event: EngineEvent) => void;
	/** How often the engine ticks (stalled asks, held entries, anti-entropy). */
	tickMs?: number;
	/** Compact this device's log once its entries held pass this many bytes (and twice the last checkpoint). */
	compactFromBytes?: number;
	/** The doc's stand-ins for its 'update' listeners: peers' entries are applied without Yjs encoding them again. */
	quiet?: QuietUpdates;
}

/** Below this, a log is not worth compacting: its entries cost little to keep and send. */
export const COMPACT_FROM_BYTES = 256 * 1024;

/** A space from before signed logs whose content cannot be imported; nothing of it was changed. */
export class OldContentError extends Error {
	constructor(readonly problem: string) {
		super(`This space's content from before signed sync cannot be moved to it: ${problem}`);
		this.name = 'OldContentError';
	}
}

export class SignedSync {
	readonly engine: SyncEngine;
	readonly log: LocalLog;
	readonly #batcher: EntryBatcher;
	readonly #timer: ReturnType<typeof setInterval>;
	readonly #tabs: BroadcastChannel | null;
	/** Catching up from the database runs one at a time, in order. */
	#catchingUp: Promise<void> = Promise.resolve();
	#closed = false;
	readonly #listeners = new Set<(event: EngineEvent) => void>();
	readonly #compactFromBytes: number;
	/** Bytes of the last checkpoint made (or found too large to make): compact again at twice it. */
	#checkpointBytes = 0;
	#compacting = false;

	/** Hear what the engine accepts, refuses and finds; returns how to stop. */
	listen(listener: (event: EngineEvent) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	private constructor(spaceId: SpaceId, doc: Y.Doc, log: LocalLog, options: SignedSyncOptions) {
		this.log = log;
		this.#compactFromBytes = options.compactFromBytes ?? COMPACT_FROM_BYTES;
		this.engine = new SyncEngine(doc, {
			store: log,
			...(options.quiet && { transact: options.quiet.transact.bind(options.quiet) }),
			onEvent: (event) => {
				options.onEvent?.(event);
				for (const listener of this.#listeners) listener(event);
			}
		});
		this.#batcher = new EntryBatcher(doc, log, {
			onAppended: (encoded, head) => this.#onAppended(encoded, head),
			quiet: options.quiet
		});
		this.#timer = setInterval(() => this.engine.tick(), options.tickMs ?? 20_000);
		this.#tabs =
			typeof BroadcastChannel === 'undefined'
				? null
				: new BroadcastChannel(`barnraise:v2:${spaceId}`);
		if (this.#tabs) this.#tabs.onmessage = (event) => this.#onTabMessage(event.data);
	}

	#onAppended(encoded: Uint8Array, head: SignedHead): void {
		if (head.seq === this.engine.lengthOf(head.author) + 1) this.engine.addOwn(encoded, head);
		// Another tab appended in between: its entries come first, from the database.
		else this.#catchUp(head.seq);
		this.#tabs?.postMessage({ seq: head.seq });
		this.#compactIfLarge();
	}

	/**
	 * Keep this device's log within about twice what it holds: once its
	 * entries pass twice the last checkpoint, one checkpoint replaces them
	 * (docs/sync-protocol.md, "Storage and compaction"). Appended only right
	 * after the entries it was made of; if another tab appended first, the
	 * next append tries again.
	 */
	#compactIfLarge(): void {
		const author = this.log.author;
		const held = this.engine.heldBytes(author);
		if (this.#compacting || this.#closed) return;
		if (held < this.#compactFromBytes || held < 2 * this.#checkpointBytes) return;
		const checkpoint = this.engine.checkpointOf(author);
		if (!checkpoint) return;
		const body = encodeCheckpoint(checkpoint);
		if (body.length > MAX_ENTRY_BODY_BYTES) {
			// Too large for one entry: not compacted (yet), and not tried again at every edit.
			this.#checkpointBytes = body.length;
			return;
		}
		this.#compacting = true;
		const at = this.engine.lengthOf(author) + 1;
		void this.log
			.append(EntryKind.checkpoint, body, Date.now(), at)
			.then((result) => {
				if (!result.ok || this.#closed) return;
				this.#checkpointBytes = body.length;
				this.#onAppended(result.encoded, result.head);
			})
			// Not written: the entries stay as they are, and a later append tries again.
			.catch(() => {})
			.finally(() => (this.#compacting = false));
	}

	/** Another tab of this device appended up to `seq`. */
	#onTabMessage(data: unknown): void {
		const seq = (data as { seq?: unknown } | null)?.seq;
		if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0) this.#catchUp(seq);
	}

	/** Take this device's own entries up to `seq` that this tab's engine lacks. */
	#catchUp(seq: number): void {
		this.#catchingUp = this.#catchingUp.then(async () => {
			const author = this.log.author;
			const have = this.engine.lengthOf(author);
			if (this.#closed || seq <= have) return;
			// Another tab may have compacted: then its checkpoint is where the log starts.
			const first = Math.max(have + 1, (await this.log.firstKept(author)) ?? 1);
			const range = await this.log.signedRange(author, first, seq);
			if (range && !this.#closed) this.engine.takeStored(author, range.entries, range.head);
		});
	}

	/**
	 * Start v2 on `doc`, which holds what IndexedDB kept of the space: from
	 * here on it writes under this tab's own derived client id.
	 */
	static async open(
		spaceId: SpaceId,
		doc: Y.Doc,
		options: SignedSyncOptions = {}
	): Promise<SignedSync> {
		const log = await LocalLog.open(spaceId, options);
		try {
			let kept = await log.loadAll();
			if (await SignedSync.#logUnlogged(doc, log, kept)) kept = await log.loadAll();
			return SignedSync.#start(spaceId, doc, log, kept, options);
		} catch (error) {
			log.close();
			throw error;
		}
	}

	/**
	 * Start v2 for a space: one this device joins now (its doc is empty), one
	 * whose logs it keeps, or one made before v2, whose content no log carries
	 * yet: that is migrated first (legacy.ts), its old content becoming a
	 * legacy entry of this device's log, and the space's schema version goes
	 * to 2, so apps without v2 write nothing into it. Old content holding a
	 * change every peer would refuse is mended first: then nothing is opened
	 * and `rebuild` says what the doc must be rebuilt from before opening it
	 * again. Old content that cannot be mended is an `OldContentError`, and
	 * nothing is changed.
	 */
	static async openSpace(
		spaceId: SpaceId,
		doc: Y.Doc,
		options: SignedSyncOptions = {}
	): Promise<SignedSync | { rebuild: Uint8Array; repaired: number }> {
		const empty = doc.store.clients.size === 0;
		const log = await LocalLog.open(spaceId, options);
		try {
			let kept = await log.loadAll();
			// Content but no logs, none of it signed: a space made before v2, to
			// import. (Signed content with no logs means the log database lost
			// what the doc kept, a crash between the two writes: its authors'
			// logs bring it again.)
			if (!empty && kept.length === 0 && !holdsSignedContent(doc)) {
				const content = legacyContent(doc);
				if (!content.ok) throw new OldContentError(content.problem);
				if (content.repaired > 0) {
					log.close();
					return { rebuild: content.update, repaired: content.repaired };
				}
				await SignedSync.#migrate(content.pieces, log);
				kept = await log.loadAll();
			}
			if (await SignedSync.#logUnlogged(doc, log, kept)) kept = await log.loadAll();
			const sync = SignedSync.#start(spaceId, doc, log, kept, options);
			// After the import, as a signed change (also for a tab that closed before it).
			markSigned(doc);
			return sync;
		} catch (error) {
			log.close();
			throw error;
		}
	}

	/**
	 * Import `pieces`, what the doc held before v2, as this device's first
	 * entries, all in one transaction from entry 1 on. 'moved' means another
	 * tab imported first, and its entries are in the logs now; anything else
	 * that keeps them out is thrown, before the space is marked signed.
	 */
	static async #migrate(pieces: Uint8Array[], log: LocalLog): Promise<void> {
		const [result] = await log.appendAll(EntryKind.legacyImport, pieces, Date.now(), 1);
		if (!result || (!result.ok && result.reason !== 'moved'))
			throw new OldContentError(
				`it could not be written (${result?.reason ?? 'nothing to write'})`
			);
	}

	/** Append what earlier tabs of this device changed but never logged; true when there was some. */
	static async #logUnlogged(doc: Y.Doc, log: LocalLog, kept: StoredLog[]): Promise<boolean> {
		const own = kept.find((stored) => sameBytes(stored.author, log.author))?.entries ?? [];
		const unlogged = unloggedChanges(doc, log.author, log.epoch, own);
		for (const { epoch, update } of unlogged) {
			// As the batcher does: a change larger than one entry goes as several (at once).
			const pieces = splitUpdate(update, MAX_ENTRY_BODY_BYTES);
			const [result] = pieces
				? await log.appendAll(EntryKind.edit, pieces, Date.now(), undefined, epoch)
				: [];
			if (!result?.ok)
				console.warn(
					`Changes made before a crash stay on this device: ${result?.reason ?? 'too large'}`
				);
		}
		return unlogged.length > 0;
	}

	static #start(
		spaceId: SpaceId,
		doc: Y.Doc,
		log: LocalLog,
		kept: StoredLog[],
		options: SignedSyncOptions
	): SignedSync {
		// A new epoch's id has never written anything, so Yjs keeps it.
		doc.clientID = log.clientId;
		const sync = new SignedSync(spaceId, doc, log, options);
		sync.engine.load(kept);
		return sync;
	}

	/** Log the local changes still waiting in the batcher; resolves once they are appended. */
	async flush(): Promise<void> {
		await this.#batcher.flush();
		await this.#catchingUp;
	}

	addLink(link: Link): void {
		this.engine.addLink(link);
	}

	removeLink(id: string): void {
		this.engine.removeLink(id);
	}

	connecting(count: number): void {
		this.engine.connecting(count);
	}

	receive(linkId: string, bytes: Uint8Array, hashes?: EntryHash[]): void {
		this.engine.receive(linkId, bytes, hashes);
	}

	/** Write what is pending and close the log database. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#batcher.destroy();
		this.#tabs?.close();
		await this.#catchingUp;
		await this.engine.whenSaved();
		this.log.close();
	}
}
