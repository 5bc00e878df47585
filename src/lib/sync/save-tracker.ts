// "Saved on this device": y-indexeddb writes each update in its own
// readwrite transaction but reports nothing back. A readonly transaction on
// the same store, opened after that write, completes only after the write
// has committed (IndexedDB orders overlapping transactions), so its
// completion is real evidence that the edit is on disk. A failed write (a
// full disk: QuotaExceededError) aborts y-indexeddb's transaction; abort and
// error events bubble up to the database object, where we hear them.
import type { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import type { QuietUpdates } from '../doc/quiet-updates';

/**
 * Why a write failed: the device is out of space, or the browser refused for
 * another reason. Views say it in the person's language; `detail` is the
 * browser's own words (English, for whoever helps fix it).
 */
export type SaveFailure = 'out-of-space' | 'refused';

export type SaveState =
	| { kind: 'saved'; at: number | null }
	| { kind: 'saving' }
	| { kind: 'failed'; reason: SaveFailure; detail: string };

/** The failed state for what IndexedDB reported: a full disk is told apart from any other refusal. */
export function saveFailure(error: unknown): SaveState {
	const name = error instanceof DOMException || error instanceof Error ? error.name : '';
	const detail = error instanceof DOMException || error instanceof Error ? error.message : '';
	return {
		kind: 'failed',
		reason: name === 'QuotaExceededError' ? 'out-of-space' : 'refused',
		detail: detail || name || String(error ?? '')
	};
}

export class SaveTracker {
	#state: SaveState = { kind: 'saved', at: null };
	#listeners = new Set<() => void>();
	#doc: Y.Doc;
	#persistence: IndexeddbPersistence;
	#generation = 0;
	readonly #unquiet: () => void;

	constructor(doc: Y.Doc, persistence: IndexeddbPersistence, quiet?: QuietUpdates) {
		this.#doc = doc;
		this.#persistence = persistence;
		// Registered after y-indexeddb's own handler, so our check runs after its write starts.
		doc.on('update', this.#onUpdate);
		this.#unquiet =
			quiet?.standIn(this.#onUpdate, (updates, origin) => this.#onUpdate(updates[0]!, origin)) ??
			(() => {});
	}

	get state(): SaveState {
		return this.#state;
	}

	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#set(state: SaveState): void {
		this.#state = state;
		for (const listener of this.#listeners) listener();
	}

	#watchedDb: IDBDatabase | null = null;
	#failedSinceUpdate = false;

	#onWriteFailed = (event: Event): void => {
		const target = event.target as IDBTransaction | IDBRequest | null;
		const error = target && 'error' in target ? target.error : null;
		this.#failedSinceUpdate = true;
		this.#set(saveFailure(error ?? (event.type === 'abort' ? 'AbortError' : 'write failed')));
	};

	#watch(db: IDBDatabase): void {
		if (this.#watchedDb === db) return;
		this.#watchedDb?.removeEventListener('abort', this.#onWriteFailed);
		this.#watchedDb?.removeEventListener('error', this.#onWriteFailed);
		db.addEventListener('abort', this.#onWriteFailed);
		db.addEventListener('error', this.#onWriteFailed);
		this.#watchedDb = db;
	}

	#onUpdate = (_update: Uint8Array, origin: unknown): void => {
		if (origin === this.#persistence) return;
		const db = this.#persistence.db;
		if (!db) return;
		this.#watch(db);
		this.#failedSinceUpdate = false;
		const generation = ++this.#generation;
		if (this.#state.kind === 'saved') this.#set({ kind: 'saving' });
		try {
			const check = db.transaction(['updates'], 'readonly');
			check.oncomplete = () => {
				// A failure stays shown until a later write succeeds.
				if (generation === this.#generation && !this.#failedSinceUpdate) {
					this.#set({ kind: 'saved', at: Date.now() });
				}
			};
			check.onerror = () => this.#set(saveFailure(check.error));
		} catch (error) {
			this.#set(saveFailure(error));
		}
	};

	destroy(): void {
		this.#watchedDb?.removeEventListener('abort', this.#onWriteFailed);
		this.#watchedDb?.removeEventListener('error', this.#onWriteFailed);
		this.#doc.off('update', this.#onUpdate);
		this.#unquiet();
		this.#listeners.clear();
	}
}
