// "Saved on this device": y-indexeddb writes each update in its own
// readwrite transaction but reports nothing back. A readonly transaction on
// the same store, opened after that write, completes only after the write
// has committed (IndexedDB orders overlapping transactions), so its
// completion is real evidence that the edit is on disk.
import type { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

export type SaveState =
	{ kind: 'saved'; at: number | null } | { kind: 'saving' } | { kind: 'failed'; message: string };

export class SaveTracker {
	#state: SaveState = { kind: 'saved', at: null };
	#listeners = new Set<() => void>();
	#doc: Y.Doc;
	#persistence: IndexeddbPersistence;
	#generation = 0;

	constructor(doc: Y.Doc, persistence: IndexeddbPersistence) {
		this.#doc = doc;
		this.#persistence = persistence;
		// Registered after y-indexeddb's own handler, so our check runs after its write starts.
		doc.on('update', this.#onUpdate);
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

	#onUpdate = (_update: Uint8Array, origin: unknown): void => {
		if (origin === this.#persistence) return;
		const db = this.#persistence.db;
		if (!db) return;
		const generation = ++this.#generation;
		if (this.#state.kind !== 'saving') this.#set({ kind: 'saving' });
		try {
			const check = db.transaction(['updates'], 'readonly');
			check.oncomplete = () => {
				if (generation === this.#generation) this.#set({ kind: 'saved', at: Date.now() });
			};
			check.onerror = () => this.#set({ kind: 'failed', message: String(check.error?.message) });
		} catch (error) {
			this.#set({
				kind: 'failed',
				message: error instanceof Error ? error.message : String(error)
			});
		}
	};

	/** A storage failure seen elsewhere (for example QuotaExceededError from y-indexeddb). */
	reportFailure(message: string): void {
		this.#set({ kind: 'failed', message });
	}

	destroy(): void {
		this.#doc.off('update', this.#onUpdate);
		this.#listeners.clear();
	}
}
