// This device's own Yjs updates into entries of its log (docs/sync-protocol.md,
// "Entries", batching): not one entry per keystroke but one per quiet moment
// — after QUIET_MS without a local change, at MAX_BATCH_BYTES, or when the
// page hides. Typing a post title is one entry. Only local transactions are
// recorded: what came from peers or from storage is in someone's log already.
// Written beside today's sync: entries are kept, not yet sent.
import * as Y from 'yjs';
import { splitUpdate } from '../../doc/split-update';
import { EntryKind, MAX_ENTRY_BODY_BYTES } from './entry';
import type { SignedHead } from './head';
import type { AppendResult } from './log-store';
import type { QuietUpdates } from '../../doc/quiet-updates';

export const QUIET_MS = 300;
export const MAX_BATCH_BYTES = 64 * 1024;

/** What the batcher needs of a log: LocalLog, or a stand-in in tests. */
export interface EntryLog {
	readonly clientId: number;
	append(kind: EntryKind, body: Uint8Array, time: number): Promise<AppendResult>;
}

export interface BatcherOptions {
	quietMs?: number;
	maxBytes?: number;
	now?: () => number;
	/** Fires 'pagehide'; the page's window by default. */
	window?: EventTarget;
	/** Fires 'visibilitychange'; the page's document by default. */
	document?: EventTarget & { readonly visibilityState: DocumentVisibilityState };
	/** A batch that could not be written: too large, or storage failed. It stays in the doc. */
	onError?: (error: unknown) => void;
	/** A batch is in the log, signed: hand it to the sync engine. */
	onAppended?: (encoded: Uint8Array, head: SignedHead) => void;
	/** Where the engine applies peers' entries quietly: those are never this device's, so nothing stands in. */
	quiet?: QuietUpdates;
}

export class EntryBatcher {
	readonly #doc: Y.Doc;
	readonly #log: EntryLog;
	readonly #quietMs: number;
	readonly #maxBytes: number;
	readonly #now: () => number;
	readonly #window: EventTarget | undefined;
	readonly #document: BatcherOptions['document'];
	readonly #onError: (error: unknown) => void;
	readonly #onAppended: (encoded: Uint8Array, head: SignedHead) => void;
	readonly #unquiet: () => void;
	#pending: Uint8Array[] = [];
	#pendingBytes = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** Appends run one after another, so entries keep the order of the edits. */
	#writing: Promise<void> = Promise.resolve();
	#stopped = false;

	constructor(doc: Y.Doc, log: EntryLog, options: BatcherOptions = {}) {
		// Entries are judged by their client ids (rule 2): a doc writing under
		// another id would fill the log with entries every peer refuses.
		if (doc.clientID !== log.clientId)
			throw new Error('The doc must write under the log’s client id');
		this.#doc = doc;
		this.#log = log;
		this.#quietMs = options.quietMs ?? QUIET_MS;
		this.#maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
		this.#now = options.now ?? Date.now;
		this.#window =
			options.window ?? (typeof window === 'undefined' ? undefined : (window as EventTarget));
		this.#document = options.document ?? (typeof document === 'undefined' ? undefined : document);
		this.#onError = options.onError ?? ((error) => console.error('Log entry not written', error));
		this.#onAppended = options.onAppended ?? (() => {});
		doc.on('update', this.#onUpdate);
		this.#unquiet = options.quiet?.standIn(this.#onUpdate, () => {}) ?? (() => {});
		doc.on('destroy', this.#onDestroy);
		this.#window?.addEventListener('pagehide', this.#onPageHide);
		this.#document?.addEventListener('visibilitychange', this.#onVisibility);
	}

	/** Updates waiting for a quiet moment, in bytes. */
	get pendingBytes(): number {
		return this.#pendingBytes;
	}

	/** Write what is pending now; resolves once every batch so far is written (or refused). */
	flush(): Promise<void> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#pending.length > 0) {
			const updates = this.#pending;
			this.#pending = [];
			this.#pendingBytes = 0;
			const time = this.#now();
			this.#writing = this.#writing.then(() => this.#write(updates, time));
		}
		return this.#writing;
	}

	/** Write what is pending and stop listening. */
	destroy(): Promise<void> {
		if (!this.#stopped) {
			this.#stopped = true;
			this.#doc.off('update', this.#onUpdate);
			this.#unquiet();
			this.#doc.off('destroy', this.#onDestroy);
			this.#window?.removeEventListener('pagehide', this.#onPageHide);
			this.#document?.removeEventListener('visibilitychange', this.#onVisibility);
		}
		return this.flush();
	}

	async #write(updates: Uint8Array[], time: number): Promise<void> {
		try {
			const body = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
			// One change larger than an entry (a bulk import) goes as several, in order.
			const pieces = splitUpdate(body, MAX_ENTRY_BODY_BYTES);
			if (!pieces) {
				this.#onError(new Error(`A change of ${body.length} bytes is over the limit of an entry`));
				return;
			}
			for (const piece of pieces) {
				const result = await this.#log.append(EntryKind.edit, piece, time);
				if (result.ok) this.#onAppended(result.encoded, result.head);
				// Appended without a seq asked for, so only its size can stop it.
				else if (result.reason === 'oversize') {
					this.#onError(new Error(`Entry of ${result.bytes} bytes is over the limit`));
					return;
				}
			}
		} catch (error) {
			this.#onError(error);
		}
	}

	#onUpdate = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
		if (!transaction.local) return;
		// Yjs gives a doc a new random id when a remote change arrives under its own
		// (anyone can compute a derived id). Entries under it would all be refused:
		// stop, and say so, rather than fill the log with them.
		if (this.#doc.clientID !== this.#log.clientId) {
			void this.destroy();
			this.#onError(new Error('The doc no longer writes under the log’s client id'));
			return;
		}
		this.#pending.push(update);
		this.#pendingBytes += update.length;
		if (this.#pendingBytes >= this.#maxBytes) {
			void this.flush();
			return;
		}
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), this.#quietMs);
	};

	#onPageHide = () => void this.flush();

	#onVisibility = () => {
		if (this.#document?.visibilityState === 'hidden') void this.flush();
	};

	#onDestroy = () => void this.destroy();
}
