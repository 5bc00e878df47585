import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyUpdateQuickly } from './quick-apply';
import { command, updatesOf } from './random-updates.test-helper';

/** Both ways of applying `updates` in order: the state each doc ends with. */
function bothWays(updates: Uint8Array[]): [Uint8Array, Uint8Array] {
	const yjs = new Y.Doc();
	const quick = new Y.Doc();
	for (const update of updates) {
		Y.applyUpdate(yjs, update);
		applyUpdateQuickly(quick, update);
	}
	return [Y.encodeStateAsUpdate(yjs), Y.encodeStateAsUpdate(quick)];
}

describe('applyUpdateQuickly', () => {
	it('makes the same doc as Y.applyUpdate from random changes of two devices', () => {
		fc.assert(
			fc.property(fc.array(command, { minLength: 1, maxLength: 30 }), (commands) => {
				const [yjs, quick] = bothWays(updatesOf(commands));
				expect(quick).toEqual(yjs);
			}),
			{ numRuns: 300 }
		);
	});

	it('reads keys and values in any script, long or short, as Yjs does', () => {
		const doc = new Y.Doc();
		const records = doc.getMap('records');
		const texts = [
			'',
			'agua',
			'café',
			'niño 👶',
			'\uFEFFbom first',
			'x'.repeat(64),
			'y'.repeat(65),
			'ñ'.repeat(40)
		];
		for (const text of texts) {
			const record = new Y.Map<unknown>();
			records.set(`key ${text}`, record);
			record.set(text, text);
			record.set('nested', { [text]: [text, 1] });
			record.set('__proto__', text);
		}
		doc.getText('notes').insert(0, texts.join('|'));
		const [yjs, quick] = bothWays([Y.encodeStateAsUpdate(doc)]);
		expect(quick).toEqual(yjs);
		const read = new Y.Doc();
		applyUpdateQuickly(read, Y.encodeStateAsUpdate(doc));
		for (const text of texts) {
			const record = read.getMap('records').get(`key ${text}`) as Y.Map<unknown>;
			expect(record.get(text)).toBe(text);
			expect(record.get('__proto__')).toBe(text);
		}
		expect(read.getText('notes').toString()).toBe(texts.join('|'));
	});

	it('refuses a string that runs past the end of the update, even inside a larger buffer', () => {
		const doc = new Y.Doc();
		doc.getMap('records').set('title', 'a title long enough to be cut');
		const update = Y.encodeStateAsUpdate(doc);
		// The update cut short, lying at the start of a buffer with more bytes after it.
		const buffer = new Uint8Array(update.length + 64).fill(0x61);
		buffer.set(update);
		const cut = buffer.subarray(0, update.length - 12);
		expect(() => applyUpdateQuickly(new Y.Doc(), cut)).toThrow();
	});
});
