import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { command, updatesOf } from './random-updates.test-helper';
import { ReadItem, readUpdate } from './update-reader';

/** What the judge reads of a struct, from either reading, in one plain form. */
function plain(decoded: {
	structs: unknown[];
	ds: { clients: Map<number, { clock: number; len: number }[]> };
}) {
	const id = (value: Y.ID | null) => (value ? [value.client, value.clock] : null);
	return {
		structs: decoded.structs.map((struct) => {
			if (struct instanceof ReadItem)
				return {
					item: [struct.id.client, struct.id.clock, struct.length],
					origin: id(struct.origin),
					rightOrigin: id(struct.rightOrigin),
					parent: struct.parent instanceof Y.ID ? id(struct.parent) : struct.parent,
					parentSub: struct.parentSub,
					any: struct.isAny
				};
			if (struct instanceof Y.Item) {
				const parent = struct.parent as unknown;
				return {
					item: [struct.id.client, struct.id.clock, struct.length],
					origin: id(struct.origin),
					rightOrigin: id(struct.rightOrigin),
					parent: parent instanceof Y.ID ? id(parent) : parent,
					parentSub: struct.parentSub,
					any: struct.content instanceof Y.ContentAny
				};
			}
			const gc = struct as { id: Y.ID; length: number; constructor: { name: string } };
			return { gc: [gc.id.client, gc.id.clock, gc.length] };
		}),
		ds: [...decoded.ds.clients].map(([client, ranges]) => [
			client,
			ranges.map(({ clock, len }) => [clock, len])
		])
	};
}

/** Both readings of `update` agree wherever the quick one answers; Yjs never throws where it does. */
function agrees(update: Uint8Array): 'read' | 'gave up' {
	const quick = readUpdate(update);
	if (!quick) return 'gave up';
	expect(plain(quick)).toEqual(plain(Y.decodeUpdate(update)));
	return 'read';
}

describe('readUpdate', () => {
	it('reads what Yjs reads, for updates of maps, nested maps, text and lists', () => {
		fc.assert(
			fc.property(fc.array(command, { maxLength: 25 }), (commands) => {
				for (const update of updatesOf(commands)) expect(agrees(update)).toBe('read');
			}),
			{ numRuns: 300 }
		);
	});

	it('never answers where Yjs would throw, and agrees where both read: damaged updates', () => {
		fc.assert(
			fc.property(
				fc.array(command, { minLength: 1, maxLength: 10 }),
				fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
					minLength: 1,
					maxLength: 4
				}),
				fc.nat(),
				(commands, flips, cut) => {
					const updates = updatesOf(commands);
					const original = updates[cut % updates.length]!;
					const damaged = original.slice(0, 1 + (cut % original.length));
					const flipped = original.slice();
					for (const [at, byte] of flips) flipped[at % flipped.length] = byte;
					for (const update of [damaged, flipped]) {
						const quick = readUpdate(update);
						if (!quick) continue;
						let yjs: ReturnType<typeof Y.decodeUpdate>;
						try {
							yjs = Y.decodeUpdate(update);
						} catch (error) {
							throw new Error('read what Yjs throws on', { cause: error });
						}
						expect(plain(quick)).toEqual(plain(yjs));
					}
				}
			),
			{ numRuns: 500 }
		);
	});

	it('gives up on what the app never writes, and on malformed UTF-8', () => {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		doc.getText('notes').insert(0, 'bold', { bold: true });
		doc.getXmlFragment('xml').insert(0, [new Y.XmlElement('p')]);
		for (const update of updates) expect(agrees(update)).toBe('gave up');
		// A one-item update whose string is a lone continuation byte.
		const plainDoc = new Y.Doc();
		plainDoc.clientID = 5;
		let bytes: Uint8Array = new Uint8Array();
		plainDoc.on('update', (update: Uint8Array) => (bytes = update));
		plainDoc.getText('t').insert(0, 'é');
		const at = bytes.indexOf(0xc3);
		const broken = bytes.slice();
		broken[at] = 0x80;
		expect(readUpdate(broken)).toBeNull();
		expect(() => Y.decodeUpdate(broken)).toThrow();

		// Four bytes of 'éé' replaced by each way UTF-8 can be ill-formed (as a fatal TextDecoder reads it).
		const twice = new Y.Doc();
		twice.clientID = 5;
		twice.on('update', (update: Uint8Array) => (bytes = update));
		twice.getText('t').insert(0, 'éé');
		const start = bytes.indexOf(0xc3);
		for (const bad of [
			[0xc0, 0xaf, 0x41, 0x41], // overlong
			[0xc1, 0xbf, 0x41, 0x41],
			[0xe0, 0x80, 0xaf, 0x41],
			[0xed, 0xa0, 0x80, 0x41], // a surrogate
			[0xf0, 0x80, 0x80, 0xaf],
			[0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
			[0xf5, 0x80, 0x80, 0x80],
			[0xc3, 0x41, 0x41, 0x41], // a missing continuation
			[0x41, 0x41, 0x41, 0xc3] // cut short
		]) {
			const ill = bytes.slice();
			ill.set(bad, start);
			expect(readUpdate(ill), bad.join(' ')).toBeNull();
			expect(() => Y.decodeUpdate(ill), bad.join(' ')).toThrow();
		}
	});

	it('counts a string’s length as JavaScript does: accents, emoji and all', () => {
		const doc = new Y.Doc();
		let bytes: Uint8Array = new Uint8Array();
		doc.on('update', (update: Uint8Array) => (bytes = update));
		const words = 'Agua para la niña 🚰💧, ahí mismo — 水';
		doc.getText('t').insert(0, words);
		const read = readUpdate(bytes)!;
		expect((read.structs[0] as ReadItem).length).toBe(words.length);
	});
});
