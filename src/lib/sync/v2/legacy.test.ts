// Old content that peers would refuse, mended before it is imported
// (legacy.ts): what the device shows stays, peers accept it, devices that
// import different histories of one entry still end with one doc.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { judgeUpdate } from '../../doc/update-rules';
import { splitUpdate } from '../../doc/split-update';
import { MAX_ENTRY_BODY_BYTES } from './entry';
import { legacyContent } from './legacy';

function imported(doc: Y.Doc): { update: Uint8Array; pieces: Uint8Array[]; repaired: number } {
	const content = legacyContent(doc);
	if (!content.ok) throw new Error(content.problem);
	expect(judgeUpdate(new Y.Doc(), content.update, 'legacy').verdict).toBe('accept');
	return content;
}

function docOf(...updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

describe('legacyContent', () => {
	it('takes honest old content as it is', () => {
		const doc = new Y.Doc();
		doc.getMap('entries').set('e-1', { quantity: 5 });
		doc.getMap('posts').set('p-1', 'Tarps');
		const update = Y.encodeStateAsUpdate(doc);
		expect(imported(doc)).toEqual({ ok: true, update, pieces: [update], repaired: 0 });
	});

	it('keeps a ledger entry written over (and over again) as it stands, and a deleted one deleted', () => {
		const doc = new Y.Doc();
		const entries = doc.getMap('entries');
		entries.set('e-1', { quantity: 100 });
		entries.set('e-2', { quantity: 7 });
		entries.set('e-3', { quantity: 1 });
		entries.set('e-1', { quantity: 10 });
		entries.set('e-1', { quantity: 11 });
		entries.delete('e-2');
		doc.getMap('posts').set('p-1', 'Tarps');
		// Refused as it is.
		expect(judgeUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc), 'legacy').verdict).toBe('refuse');
		const content = imported(doc);
		expect(content.repaired).toBe(0);
		const mended = docOf(content.update);
		expect(mended.getMap('entries').toJSON()).toEqual({
			'e-1': { quantity: 11 },
			'e-3': { quantity: 1 }
		});
		expect(mended.getMap('posts').toJSON()).toEqual(doc.getMap('posts').toJSON());
	});

	it('ends in one doc whichever order a peer gets two devices’ mended imports of one history', () => {
		const ana = new Y.Doc();
		ana.getMap('entries').set('e-1', { quantity: 100 });
		ana.getMap('entries').set('e-2', { quantity: 5 });
		const mallory = docOf(Y.encodeStateAsUpdate(ana));
		mallory.getMap('entries').set('e-1', { quantity: 10 });
		mallory.getMap('entries').delete('e-2');
		// Both heard Mallory before v2; each also has something of its own.
		Y.applyUpdate(ana, Y.encodeStateAsUpdate(mallory));
		const ben = docOf(Y.encodeStateAsUpdate(ana));
		ana.getMap('posts').set('p-ana', 'Tarps');
		ben.getMap('posts').set('p-ben', 'Rope');
		const fromAna = imported(ana).update;
		const fromBen = imported(ben).update;
		const one = docOf(fromAna, fromBen);
		const other = docOf(fromBen, fromAna);
		expect(one.toJSON()).toEqual(other.toJSON());
		expect(one.getMap('entries').toJSON()).toEqual({ 'e-1': { quantity: 10 } });
		expect(Object.keys(one.getMap('posts').toJSON()).sort()).toEqual(['p-ana', 'p-ben']);
	});

	it('leaves out what the doc still waits for, which no log could ever bring', () => {
		const writer = new Y.Doc();
		writer.getMap('posts').set('p-1', 'first');
		const before = Y.encodeStateAsUpdate(writer);
		writer.getMap('posts').set('p-2', 'second');
		const after = Y.encodeStateAsUpdate(writer, Y.encodeStateVectorFromUpdate(before));
		const doc = new Y.Doc();
		doc.getMap('posts').set('p-0', 'own');
		// The second change arrived, the first never did.
		Y.applyUpdate(doc, after);
		expect(doc.store.pendingStructs).not.toBeNull();
		const content = imported(doc);
		expect(docOf(content.update).getMap('posts').toJSON()).toEqual({ 'p-0': 'own' });
		// What it waits for is still there, untouched.
		expect(doc.store.pendingStructs).not.toBeNull();
	});

	it('collects a struct too large for any entry, and says the doc must be rebuilt', () => {
		const doc = new Y.Doc();
		doc.getMap('posts').set('huge', 'x'.repeat(MAX_ENTRY_BODY_BYTES));
		doc.getMap('posts').set('small', 'kept');
		expect(splitUpdate(Y.encodeStateAsUpdate(doc), MAX_ENTRY_BODY_BYTES)).toBeNull();
		const content = imported(doc);
		expect(content.repaired).toBe(1);
		expect(docOf(content.update).getMap('posts').toJSON()).toEqual({ small: 'kept' });
		expect(splitUpdate(content.update, MAX_ENTRY_BODY_BYTES)).not.toBeNull();
	});

	it('brings back an entry a doc that keeps deleted content still holds, and counts it', () => {
		const doc = new Y.Doc({ gc: false });
		doc.getMap('entries').set('e-1', { quantity: 100 });
		doc.getMap('entries').delete('e-1');
		const content = imported(doc);
		expect(content.repaired).toBe(1);
		expect(docOf(content.update).getMap('entries').toJSON()).toEqual({ 'e-1': { quantity: 100 } });
	});

	it('refuses to import old content that holds signed content', () => {
		const doc = new Y.Doc();
		doc.clientID = 2 ** 52 + 5;
		doc.getMap('posts').set('p', 1);
		expect(legacyContent(doc)).toMatchObject({ ok: false });
	});

	it('refuses content over one entry that cannot be cut (forms the strict reading gives up on)', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			for (let i = 0; i < 3000; i++) doc.getMap('posts').set(`p${i}`, `${i} ${'x'.repeat(3000)}`);
		});
		// No app writes formatted text; a hostile device before v2 could.
		doc.getText('notes').insert(0, 'bold', { bold: true });
		expect(legacyContent(doc)).toEqual({ ok: false, problem: 'it cannot be cut into entries' });
	});

	it('gives the pieces the import goes in, in order', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			for (let i = 0; i < 3000; i++) doc.getMap('posts').set(`p${i}`, `${i} ${'x'.repeat(3000)}`);
		});
		const { pieces } = imported(doc);
		expect(pieces.length).toBeGreaterThan(1);
		expect(docOf(...pieces).getMap('posts').size).toBe(3000);
	});
});
