import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { command, updatesOf } from './random-updates.test-helper';
import { splitUpdate } from './split-update';

/**
 * A Yjs value as plain data. Not `toJSON`: it writes keys by assignment, so a
 * map key `__proto__` holding bytes makes them the object's prototype, which
 * no comparison can read. `Object.fromEntries` makes every key its own.
 */
function shown(value: unknown): unknown {
	if (value instanceof Y.Map)
		return Object.fromEntries([...value.entries()].map(([key, item]) => [key, shown(item)]));
	if (value instanceof Y.Array) return value.toArray().map(shown);
	if (value instanceof Y.Text) return value.toString();
	return value;
}

/** What a doc shows, and which state it holds. */
function contents(doc: Y.Doc) {
	return {
		records: shown(doc.getMap('records')),
		notes: doc.getText('notes').toString(),
		list: shown(doc.getArray('list')),
		vector: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b)
	};
}

/** Apply `pieces` in order to `doc`; each must apply whole, waiting for nothing. */
function applyInOrder(doc: Y.Doc, pieces: Uint8Array[]): void {
	for (const piece of pieces) {
		Y.applyUpdate(doc, piece);
		expect(doc.store.pendingStructs).toBeNull();
		expect(doc.store.pendingDs).toBeNull();
	}
}

describe('splitUpdate', () => {
	it('cuts a whole doc of two devices into pieces that fit, each applying whole, together the same doc', () => {
		let cut = 0;
		fc.assert(
			fc.property(
				fc.array(command, { minLength: 10, maxLength: 30 }),
				fc.integer({ min: 2, max: 8 }),
				(commands, parts) => {
					const whole = updatesOf(commands).at(-1)!;
					const maxBytes = Math.max(128, Math.ceil(whole.length / parts));
					const pieces = splitUpdate(whole, maxBytes);
					if (!pieces) return; // one struct alone is larger: asserted below
					for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(maxBytes);
					if (pieces.length > 1) cut += 1;
					const original = new Y.Doc();
					Y.applyUpdate(original, whole);
					const rebuilt = new Y.Doc();
					applyInOrder(rebuilt, pieces);
					expect(contents(rebuilt)).toEqual(contents(original));
				}
			),
			{
				numRuns: 300,
				// A nested key `__proto__` holding bytes, once read through `toJSON`.
				examples: [
					[
						[
							{ op: 'nest', key: '' },
							{ op: 'nested-set', key: '__proto__', value: Uint8Array.from([1]) },
							{ op: 'set', key: 'a', value: 1 },
							{ op: 'text', at: 0, insert: 'x', remove: 0 },
							{ op: 'set', key: 'b', value: 2 },
							{ op: 'list', at: 0, values: [1, 2] },
							{ op: 'set', key: 'c', value: 3 },
							{ op: 'set', key: 'd', value: 4 },
							{ op: 'set', key: 'e', value: 5 },
							{ op: 'set', key: 'f', value: 6 }
						],
						2
					]
				]
			}
		);
		// The property ran on updates that were really cut, not only on ones that fit.
		expect(cut).toBeGreaterThan(100);
	});

	it('cuts one device’s bulk change on top of what peers hold: 20,000 records at 64 KiB a piece', () => {
		const device = new Y.Doc();
		device.getMap('posts').set('before', { title: 'Already here' });
		const peer = new Y.Doc();
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(device));
		let bulk: Uint8Array | undefined;
		device.once('update', (update: Uint8Array) => (bulk = update));
		device.transact(() => {
			const posts = device.getMap('posts');
			posts.delete('before');
			for (let i = 0; i < 20_000; i++) {
				const post = new Y.Map<unknown>();
				post.set('title', `Post ${i}`);
				posts.set(`p${i}`, post);
			}
		});
		const pieces = splitUpdate(bulk!, 64 * 1024)!;
		expect(pieces.length).toBeGreaterThan(5);
		for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(64 * 1024);
		applyInOrder(peer, pieces);
		expect(peer.getMap('posts').toJSON()).toEqual(device.getMap('posts').toJSON());
		expect(peer.getMap('posts').has('before')).toBe(false);
	});

	it('puts a delete set too large to go beside any struct in a last piece of its own', () => {
		const doc = new Y.Doc();
		for (let i = 0; i < 1500; i++) doc.getMap('records').set(`r${i}`, i);
		for (let i = 0; i < 1500; i += 2) doc.getMap('records').delete(`r${i}`);
		const whole = Y.encodeStateAsUpdate(doc);
		// Room for the delete set alone, with its piece's header, and not one struct more.
		const deletes = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)).length;
		expect(deletes).toBeGreaterThan(1000);
		const pieces = splitUpdate(whole, deletes + 20)!;
		expect(pieces).not.toBeNull();
		const rebuilt = new Y.Doc();
		applyInOrder(rebuilt, pieces);
		expect(rebuilt.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON());
	});

	it('gives it whole when it fits, and null when one struct alone is too large', () => {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		doc.getMap('maps').set('small', 'x');
		doc.getMap('maps').set('picture', new Uint8Array(10_000));
		expect(splitUpdate(updates[0]!, 1000)).toEqual([updates[0]]);
		expect(splitUpdate(updates[1]!, 1000)).toBeNull();
	});
});
