import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { judgeUpdate } from '../../doc/update-rules';
import { clientId } from './client-id';
import { encodeEntry, EntryKind, NO_PREVIOUS, type AuthorId, type EntryHash } from './entry';
import { unloggedChanges } from './unlogged';

const author = new Uint8Array(32).fill(7) as AuthorId;

/** An own entry as kept (unsigned: only its epoch and body matter here). */
function kept(seq: number, epoch: number, body: Uint8Array): Uint8Array {
	return encodeEntry({
		seq,
		prev: NO_PREVIOUS as EntryHash,
		kind: EntryKind.edit,
		epoch,
		time: 1,
		body
	});
}

/** Every change `doc` makes, in order. */
function recording(doc: Y.Doc): Uint8Array[] {
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	return updates;
}

describe('unloggedChanges', () => {
	it('finds nothing when the last entry of an epoch only deleted', () => {
		const doc = new Y.Doc();
		doc.clientID = clientId(author, 1);
		const updates = recording(doc);
		doc.getMap('posts').set('a', 1);
		doc.getMap('posts').delete('a');
		const own = updates.map((body, i) => kept(i + 1, 1, body));
		expect(unloggedChanges(doc, author, 2, own)).toEqual([]);
	});

	it('gives two killed epochs’ changes, deletions last, each accepted in order by a peer holding the log', () => {
		const doc = new Y.Doc();
		const peer = new Y.Doc();
		doc.clientID = clientId(author, 1);
		const updates = recording(doc);
		doc.getMap('posts').set('logged', 'tarps');
		Y.applyUpdate(peer, updates[0]!);
		// Epoch 1's last moment, never logged.
		doc.getMap('posts').set('one', 'generator');
		// Epoch 2 (another tab, killed too): an item made, then deleted.
		doc.clientID = clientId(author, 2);
		doc.getMap('posts').set('two', 'water');
		doc.getMap('posts').delete('two');
		doc.getMap('posts').delete('logged');

		const found = unloggedChanges(doc, author, 3, [kept(1, 1, updates[0]!)]);
		expect(found.map(({ epoch }) => epoch)).toEqual([1, 2]);
		for (const { epoch, update } of found) {
			// Held would mean waiting for ever: nothing after it in the log comes first.
			expect(judgeUpdate(peer, update, clientId(author, epoch)).verdict).toBe('accept');
			Y.applyUpdate(peer, update);
		}
		expect(peer.getMap('posts').toJSON()).toEqual({ one: 'generator' });
	});
});
