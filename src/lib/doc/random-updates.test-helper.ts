// Yjs updates for tests: random ones for property tests of what reads or
// cuts updates (update-reader.test.ts, split-update.test.ts), two devices
// writing maps, nested maps, text and lists, each change shared with the
// other so later ones refer to the other device's items; and a fixed few
// from another device (quiet-updates.test.ts, save-tracker.test.ts).
import fc from 'fast-check';
import * as Y from 'yjs';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const value = fc.oneof(
	text,
	fc.integer(),
	fc.double({ noNaN: true }),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }),
	fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null)), {
		maxKeys: 3,
		noNullPrototype: true
	}),
	fc.uint8Array({ maxLength: 8 })
);
export const command = fc.oneof(
	fc.record({ op: fc.constant('set'), key: text, value }),
	fc.record({ op: fc.constant('delete'), key: text }),
	fc.record({ op: fc.constant('nest'), key: text }),
	fc.record({ op: fc.constant('nested-set'), key: text, value }),
	fc.record({
		op: fc.constant('text'),
		at: fc.nat(20),
		insert: text,
		remove: fc.nat(3)
	}),
	fc.record({ op: fc.constant('list'), at: fc.nat(10), values: fc.array(value, { maxLength: 3 }) }),
	fc.record({ op: fc.constant('list-delete'), at: fc.nat(10) })
);

/** Run `commands` on a doc written by two devices; every update made, and the whole state. */
export function updatesOf(commands: unknown[]): Uint8Array[] {
	const docs = [new Y.Doc(), new Y.Doc()];
	docs[0]!.clientID = 1;
	docs[1]!.clientID = 2 ** 40 + 7;
	const updates: Uint8Array[] = [];
	for (const doc of docs) doc.on('update', (update: Uint8Array) => updates.push(update));
	(commands as { op: string; [key: string]: unknown }[]).forEach((step, index) => {
		const doc = docs[index % 2]!;
		const map = doc.getMap('records');
		const textType = doc.getText('notes');
		const list = doc.getArray('list');
		doc.transact(() => {
			const key = step.key as string;
			switch (step.op) {
				case 'set':
					map.set(key, step.value);
					break;
				case 'delete':
					map.delete(key);
					break;
				case 'nest':
					map.set(key, new Y.Map());
					break;
				case 'nested-set': {
					const inner = [...map.values()].find((found) => found instanceof Y.Map);
					if (inner instanceof Y.Map) inner.set(key, step.value);
					break;
				}
				case 'text': {
					const at = Math.min(step.at as number, textType.length);
					textType.insert(at, step.insert as string);
					textType.delete(at, Math.min(step.remove as number, textType.length - at));
					break;
				}
				case 'list':
					list.insert(Math.min(step.at as number, list.length), step.values as unknown[]);
					break;
				case 'list-delete':
					if (list.length > 0) list.delete(Math.min(step.at as number, list.length - 1), 1);
			}
		});
		// Share each change, so later ones refer to the other device's items.
		const other = docs[(index + 1) % 2]!;
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
	});
	updates.push(Y.encodeStateAsUpdate(docs[0]!));
	return updates;
}

/** Two updates from another device: a post, then a change to it. */
export function remoteUpdates(): Uint8Array[] {
	const other = new Y.Doc();
	const updates: Uint8Array[] = [];
	other.on('update', (update: Uint8Array) => updates.push(update));
	other.getMap('posts').set('p1', { title: 'Water', qty: 3 });
	other.getMap('posts').set('p2', { title: 'Tarps', qty: 10 });
	other.getMap('posts').delete('p1');
	return updates;
}
