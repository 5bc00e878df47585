// The board's records for views. One source of truth (the doc); this keeps
// validated reads of posts and re-reads only the posts a change touched, so a
// board of 20,000 posts is not re-validated on every keystroke of a peer.
import type * as Y from 'yjs';
import type { PostRead } from '../domain/post';
import { postsMap, readAllPosts, readPost, touchedPostIds } from '../doc/space-doc';
import { createNotifier } from './subscribers';

export class BoardModel {
	#doc: Y.Doc;
	#records: Map<string, PostRead>;
	#notifier = createNotifier();

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#records = readAllPosts(doc);
		postsMap(doc).observeDeep(this.#onEvents);
	}

	/** Every post record, readable or not. Reactive. */
	get records(): ReadonlyMap<string, PostRead> {
		this.#notifier.track();
		return this.#records;
	}

	#onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
		const touched = touchedPostIds(events, this.#doc);
		if (touched === 'all') {
			this.#records = readAllPosts(this.#doc);
		} else {
			// A new Map per change (copy-on-write), so views deriving from it see a new value.
			this.#records = new Map(this.#records);
			for (const id of touched) {
				const record = readPost(this.#doc, id);
				if (record) this.#records.set(id, record);
				else this.#records.delete(id);
			}
		}
		this.#notifier.notify();
	};

	destroy(): void {
		postsMap(this.#doc).unobserveDeep(this.#onEvents);
	}
}
