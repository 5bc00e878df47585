// The key a supply ledger entry (a fact) is written under: the id of the Yjs
// item that writes it, so no second item can ever claim the same key (the
// rules that hold facts still are in update-rules.ts). Apart from the rules,
// so that writing an entry does not load the judge and its update reader:
// those come only with a space under sync v2.
import * as Y from 'yjs';

/** The key a fact written by the Yjs item `id` must have. */
export function factKey(id: Y.ID): string {
	return `f-${id.client.toString(36).padStart(11, '0')}-${id.clock.toString(36)}`;
}

/**
 * The key the next fact written to `doc` by this device gets: the id of the
 * item its write will make. Call it inside the transaction that writes it.
 */
export function nextFactKey(doc: Y.Doc): string {
	return factKey(Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID)));
}
