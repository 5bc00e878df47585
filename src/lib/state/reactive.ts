// Small bridges from outside sources into runes, for the state layer:
// a Y.Map read again on each change, an object with subscribe() and a
// getter, and tearing a model down when its doc is destroyed.
import type * as Y from 'yjs';
import { createNotifier } from './subscribers';

/**
 * Reactive view of a plain Y.Map read (small maps: re-read on any change).
 * A read that throws (it should not: peers' content is read within bounds)
 * gives `fallback`, so no content can make the model throw.
 */
export class MapReading<T> {
	#map: Y.Map<unknown>;
	#read: () => T;
	#value: T;
	#notifier = createNotifier();
	#onRead: ((value: T) => void) | undefined;

	/** `onRead` hears each new value, for work outside the views (none at first read). */
	constructor(map: Y.Map<unknown>, read: () => T, fallback: () => T, onRead?: (value: T) => void) {
		this.#map = map;
		this.#read = () => {
			try {
				return read();
			} catch {
				return fallback();
			}
		};
		this.#value = this.#read();
		this.#onRead = onRead;
		map.observe(this.#onChange);
	}
	get current(): T {
		this.#notifier.track();
		return this.#value;
	}
	#onChange = () => {
		this.#value = this.#read();
		this.#onRead?.(this.#value);
		this.#notifier.notify();
	};
	destroy() {
		this.#map.unobserve(this.#onChange);
	}
}

/** Follow an outside source that has `subscribe(listener)` and a getter. */
export class Followed<T> {
	#get: () => T;
	#notifier = createNotifier();
	#unsubscribe: () => void;
	constructor(subscribe: (listener: () => void) => () => void, get: () => T) {
		this.#get = get;
		this.#unsubscribe = subscribe(() => this.#notifier.notify());
	}
	get current(): T {
		this.#notifier.track();
		return this.#get();
	}
	destroy() {
		this.#unsubscribe();
	}
}

/**
 * Run `teardown` once when `doc` is destroyed, as y-indexeddb does, so that
 * destroying a space's doc cleans up every model built on it.
 */
export function destroyWithDoc(doc: Y.Doc, teardown: () => void): void {
	const once = () => {
		doc.off('destroy', once);
		teardown();
	};
	doc.on('destroy', once);
}
