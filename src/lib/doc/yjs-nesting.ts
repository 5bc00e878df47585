// Yjs deletes and garbage-collects a nested type recursively: every level
// of Y.Maps inside Y.Maps costs a few stack frames, so deleting a record a
// peer nested 5,000 deep (or losing a concurrent overwrite to one) throws
// RangeError inside Yjs, in the middle of a transaction, before any of our
// code runs; reloading applies the same update and throws again. This
// module makes both walks iterative: a nested type met while one is already
// being deleted (or collected) is queued, and the outermost call works
// through the queue. Each type is still handled exactly as Yjs does it, in
// breadth-first instead of depth-first order, which changes nothing: every
// nested item ends deleted (or collected) in the same transaction.
//
// It replaces two methods of Yjs's ContentType (yjs 13.6), once, when the
// doc layer is first imported; yjs-nesting.test.ts checks it against Yjs's own
// results, so an upgrade that changes them fails there first.
import * as Y from 'yjs';

type Transaction = Y.Transaction;
type Store = Y.Doc['store'];
interface TypeContent {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Yjs types it
	type: Y.AbstractType<any>;
}

const INSTALLED = Symbol.for('barnraise.iterativeNesting');

function iterative<A>(visit: (content: TypeContent, argument: A) => void) {
	let queue: TypeContent[] | null = null;
	let argumentOfQueue: A;
	return function (this: TypeContent, argument: A): void {
		if (queue !== null) {
			queue.push(this);
			return;
		}
		queue = [this];
		argumentOfQueue = argument;
		try {
			for (let index = 0; index < queue.length; index++)
				visit(queue[index] as TypeContent, argumentOfQueue);
		} finally {
			queue = null;
		}
	};
}

/** ContentType.delete of yjs 13.6, without recursing into nested types. */
function deleteType({ type }: TypeContent, transaction: Transaction): void {
	const merge = (item: Y.Item) => {
		if (!item.deleted) item.delete(transaction);
		// Deleted before this transaction: Yjs merges it after (see ContentType.delete).
		else if (item.id.clock < (transaction.beforeState.get(item.id.client) || 0))
			(transaction as unknown as { _mergeStructs: Y.Item[] })._mergeStructs.push(item);
	};
	let item = type._start;
	while (item !== null) {
		merge(item);
		item = item.right;
	}
	type._map.forEach(merge);
	transaction.changed.delete(type);
}

/** ContentType.gc of yjs 13.6, without recursing into nested types. */
function collectType({ type }: TypeContent, store: Store): void {
	let item = type._start;
	while (item !== null) {
		item.gc(store, true);
		item = item.right;
	}
	type._start = null;
	type._map.forEach((entry: Y.Item | null) => {
		while (entry !== null) {
			entry.gc(store, true);
			entry = entry.left;
		}
	});
	type._map = new Map();
}

const prototype = Y.ContentType.prototype as unknown as Record<PropertyKey, unknown>;
const own = { delete: prototype.delete, gc: prototype.gc };

export function installIterativeNesting(): void {
	if (prototype[INSTALLED]) return;
	prototype.delete = iterative(deleteType);
	prototype.gc = iterative(collectType);
	prototype[INSTALLED] = true;
}

/** Run `action` with Yjs's own, recursive methods: for the test that compares the two. */
export function withYjsOwnNesting(action: () => void): void {
	const ours = { delete: prototype.delete, gc: prototype.gc };
	Object.assign(prototype, own);
	try {
		action();
	} finally {
		Object.assign(prototype, ours);
	}
}

installIterativeNesting();
