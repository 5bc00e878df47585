import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clientId } from './client-id';
import { generateDeviceKey } from './head';

describe('clientId', () => {
	const { author } = generateDeviceKey();

	it('is a whole number under 2⁵³, the same for the same author and epoch', () => {
		const id = clientId(author, 1);
		expect(Number.isSafeInteger(id) && id >= 0 && id < 2 ** 53).toBe(true);
		expect(clientId(author.slice() as typeof author, 1)).toBe(id);
	});

	it('differs between epochs and between authors', () => {
		const ids = new Set([1, 2, 3, 1000].map((epoch) => clientId(author, epoch)));
		ids.add(clientId(generateDeviceKey().author, 1));
		expect(ids.size).toBe(5);
	});

	it('uses all 53 bits: over many authors the top bit is set about half the time', () => {
		let high = 0;
		for (let i = 0; i < 200; i++) {
			const fixed = new Uint8Array(32).fill(i) as typeof author;
			if (clientId(fixed, 1) >= 2 ** 52) high++;
		}
		expect(high).toBeGreaterThan(50);
		expect(high).toBeLessThan(150);
	});
});

describe('Yjs keeps a 53-bit client id', () => {
	// The largest ids are where a 32-bit shortcut anywhere would show.
	const ids = [2 ** 53 - 1, 2 ** 52 + 12_345, clientId(generateDeviceKey().author, 7)];

	it.each(ids)('through encode, apply and merge (%d)', (id) => {
		const writer = new Y.Doc();
		writer.clientID = id;
		const updates: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => updates.push(update));
		writer.getMap('posts').set('p1', 'first');
		writer.getText('notes').insert(0, 'hello');
		writer.getMap('posts').delete('p1');

		for (const update of updates)
			for (const struct of Y.decodeUpdate(update).structs) expect(struct.id.client).toBe(id);

		const reader = new Y.Doc();
		for (const update of updates) Y.applyUpdate(reader, update);
		expect(reader.getText('notes').toString()).toBe('hello');
		expect(reader.getMap('posts').has('p1')).toBe(false);
		expect([...Y.decodeStateVector(Y.encodeStateVector(reader)).keys()]).toEqual([id]);

		const merged = Y.mergeUpdates(updates);
		const decoded = Y.decodeUpdate(merged);
		expect(new Set(decoded.structs.map((struct) => struct.id.client))).toEqual(new Set([id]));
		expect([...decoded.ds.clients.keys()]).toEqual([id]);

		// A third doc fed the merged update and the state the reader re-encodes agree.
		const third = new Y.Doc();
		Y.applyUpdate(third, Y.encodeStateAsUpdate(reader));
		Y.applyUpdate(third, merged);
		expect(third.getText('notes').toString()).toBe('hello');
		expect(Y.encodeStateVector(third)).toEqual(Y.encodeStateVector(writer));
		// And the v2 encoding, which Yjs uses elsewhere, keeps it too.
		const v2 = Y.encodeStateAsUpdateV2(writer);
		expect(Y.decodeUpdateV2(v2).structs.every((struct) => struct.id.client === id)).toBe(true);
	});
});
