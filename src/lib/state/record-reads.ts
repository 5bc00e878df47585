// The validated reads of one root map's records, kept for a model: read all
// at first, then again only the records a change touched, so a space of
// 20,000 posts is not re-validated on every keystroke of a peer. Each change
// makes a new Map (copy-on-write), so views deriving from it see a new value.
// A read that throws anyway (the doc layer's reads should not) makes that
// record unreadable: no content can make the model throw.
import type * as Y from 'yjs';
import { touchedKeys, type Unreadable } from '../doc/records';

export class RecordReads<R> {
	#map: Y.Map<unknown>;
	#read: (id: string) => R | null;
	#unreadable: (record: Unreadable) => R;
	#onChange: () => void;
	#current: Map<string, R>;

	/**
	 * `read` gives a record's read, or null when it is gone; `unreadable` makes
	 * the read of a record whose reading failed; `onChange` runs after each change.
	 */
	constructor(
		map: Y.Map<unknown>,
		read: (id: string) => R | null,
		unreadable: (record: Unreadable) => R,
		onChange: () => void
	) {
		this.#map = map;
		this.#read = read;
		this.#unreadable = unreadable;
		this.#onChange = onChange;
		this.#current = this.#readAll();
		map.observeDeep(this.#onEvents);
	}

	get current(): ReadonlyMap<string, R> {
		return this.#current;
	}

	#readOne(id: string): R | null {
		try {
			return this.#read(id);
		} catch (error) {
			return this.#unreadable({
				ok: false,
				id,
				problem: `could not be read: ${String(error).slice(0, 200)}`
			});
		}
	}

	#readAll(): Map<string, R> {
		const reads = new Map<string, R>();
		for (const id of this.#map.keys()) {
			const read = this.#readOne(id);
			if (read !== null) reads.set(id, read);
		}
		return reads;
	}

	#onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
		const touched = touchedKeys(events, this.#map);
		if (touched === 'all') {
			this.#current = this.#readAll();
		} else {
			this.#current = new Map(this.#current);
			for (const id of touched) {
				const read = this.#readOne(id);
				if (read !== null) this.#current.set(id, read);
				else this.#current.delete(id);
			}
		}
		this.#onChange();
	};

	destroy(): void {
		this.#map.unobserveDeep(this.#onEvents);
	}
}
