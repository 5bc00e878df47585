// The board for views: its records, and what a member can do to them. One
// source of truth (the doc); this keeps validated reads of posts and
// re-reads only the posts a change touched, so a board of 20,000 posts is
// not re-validated on every keystroke of a peer.
import type * as Y from 'yjs';
import { newId, type MemberId, type PostId } from '../domain/ids';
import type { PostFields, PostRead, PostStatus } from '../domain/post';
import {
	claimPost,
	createPost,
	postsMap,
	readPost,
	setPostStatus,
	setPostStatusUndoably,
	unclaimPost,
	updatePost
} from '../doc/space-doc';
import { destroyWithDoc } from './reactive';
import { RecordReads } from './record-reads';
import { UndoOffer } from './undo-offer.svelte';
import { m } from '$lib/paraglide/messages';
import { createNotifier } from './subscribers';

export class BoardModel {
	#doc: Y.Doc;
	#memberId: MemberId;
	#records: RecordReads<PostRead>;
	#notifier = createNotifier();
	/** Undo for the last status change made here (done and withdrawn are one tap away). */
	readonly undo = new UndoOffer();

	constructor(doc: Y.Doc, memberId: MemberId) {
		this.#doc = doc;
		this.#memberId = memberId;
		this.#records = new RecordReads(
			postsMap(doc),
			(id) => readPost(doc, id),
			(unreadable) => unreadable,
			() => this.#notifier.notify()
		);
		destroyWithDoc(doc, () => {
			this.undo.withdraw();
			this.#records.destroy();
		});
	}

	/** The member this device posts and claims as. */
	get memberId(): MemberId {
		return this.#memberId;
	}

	/** Every post record, readable or not. Reactive. */
	get records(): ReadonlyMap<string, PostRead> {
		this.#notifier.track();
		return this.#records.current;
	}

	createPost(fields: PostFields): PostId {
		const id = newId<'PostId'>();
		createPost(this.#doc, id, fields, this.#memberId, Date.now());
		return id;
	}
	updatePost(id: PostId, fields: Partial<PostFields>): void {
		updatePost(this.#doc, id, fields, Date.now(), this.#memberId);
	}
	/** Change a post's status; ending it (done, withdrawn) can be undone for a few seconds. */
	setStatus(id: PostId, status: PostStatus): void {
		const ends = status === 'done' || status === 'withdrawn';
		if (!ends) {
			setPostStatus(this.#doc, id, status, Date.now(), this.#memberId);
			return;
		}
		const undoable = setPostStatusUndoably(this.#doc, id, status, Date.now(), this.#memberId);
		if (!undoable) return;
		const record = this.#records.current.get(id);
		const title = record?.ok ? record.post.title : null;
		const text =
			status === 'done'
				? title === null
					? m.undo_marked_done_untitled()
					: m.undo_marked_done({ title })
				: title === null
					? m.undo_withdrew_untitled()
					: m.undo_withdrew({ title });
		this.undo.offer(text, undoable);
	}
	claim(id: PostId, note = ''): void {
		claimPost(this.#doc, id, this.#memberId, { at: Date.now(), note });
	}
	unclaim(id: PostId): void {
		unclaimPost(this.#doc, id, this.#memberId);
	}
}
