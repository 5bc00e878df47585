// Applying changes that arrive already encoded, without Yjs encoding them
// again. When a transaction ends, Yjs encodes everything it changed once
// for the doc's 'update' listeners, if it has any; for a signed log entry
// those bytes are the entry's own update, which the engine already holds. A
// fresh join of 20,000 posts spent 0.9 s of its 7.4 s on that encoding.
//
// Each listener that can take the applied updates themselves is registered
// with what stands in for it. A quiet transaction runs without the 'update'
// listeners only when every one of them has a stand-in; otherwise (a
// listener this module does not know) it is an ordinary transaction.
import type * as Y from 'yjs';

export type UpdateListener = (
	update: Uint8Array,
	origin: unknown,
	doc: Y.Doc,
	transaction: Y.Transaction
) => void;

/** Takes, after the transaction, the updates a quiet transaction applied. */
export type UpdateTaker = (updates: readonly Uint8Array[], origin: unknown) => void;

/** lib0's observable keeps its listeners here; Yjs encodes only when 'update' has some. */
type Observed = { _observers: Map<string, Set<UpdateListener>> };

export class QuietUpdates {
	readonly #doc: Y.Doc;
	readonly #takers = new Map<UpdateListener, UpdateTaker>();

	constructor(doc: Y.Doc) {
		this.#doc = doc;
	}

	/** `taker` stands in for the doc's 'update' listener `listener` in quiet transactions. */
	standIn(listener: UpdateListener, taker: UpdateTaker): () => void {
		this.#takers.set(listener, taker);
		return () => this.#takers.delete(listener);
	}

	/**
	 * Run `apply`, which applies updates and puts each into `applied`, as one
	 * transaction of `origin`; then give every stand-in what was applied.
	 * Returns whether it ran quietly (without Yjs encoding the transaction).
	 */
	transact(apply: (applied: Uint8Array[]) => void, origin: unknown): boolean {
		const doc = this.#doc;
		const observers = (doc as unknown as Observed)._observers;
		const listeners = observers.get('update');
		const applied: Uint8Array[] = [];
		const quiet =
			listeners !== undefined &&
			// Inside another transaction, it would silence that one's own changes too.
			(doc as unknown as { _transaction: unknown })._transaction === null &&
			[...listeners].every((listener) => this.#takers.has(listener));
		if (!quiet) {
			doc.transact(() => apply(applied), origin);
			return false;
		}
		let ours: Y.Transaction | null = null;
		let restored = false;
		const restore = () => {
			if (restored) return;
			restored = true;
			doc.off('beforeObserverCalls', onNext);
			// Listeners added meanwhile (by an observer) are kept beside the others.
			for (const listener of observers.get('update') ?? []) listeners.add(listener);
			observers.set('update', listeners);
		};
		// A transaction an observer starts is cleaned up after ours, within this
		// call: its changes are local and are encoded for the listeners as ever.
		const onNext = (transaction: Y.Transaction) => {
			if (transaction !== ours) restore();
		};
		doc.on('beforeObserverCalls', onNext);
		observers.delete('update');
		try {
			doc.transact((transaction) => {
				ours = transaction;
				apply(applied);
			}, origin);
		} finally {
			restore();
			// Even when applying threw partway: what went into the doc is kept.
			if (applied.length > 0)
				for (const listener of listeners) this.#takers.get(listener)?.(applied, origin);
		}
		return true;
	}
}
