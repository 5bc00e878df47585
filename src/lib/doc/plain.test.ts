import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readPlain } from './plain';

function stored(build: (map: Y.Map<unknown>) => void): Y.Map<unknown> {
	const doc = new Y.Doc();
	const record = new Y.Map<unknown>();
	doc.getMap('records').set('record', record);
	build(record);
	return record;
}

describe('readPlain', () => {
	it('reads what the app writes as Yjs would, keeping key order', () => {
		const record = stored((map) => {
			map.set('title', 'Water');
			map.set('quantity', 3);
			const claims = new Y.Map<unknown>();
			map.set('claims', claims);
			claims.set('member-ana-0001', { at: 1, note: 'on my way' });
			const tags = new Y.Array<unknown>();
			map.set('tags', tags);
			tags.push(['a', 'b']);
			const text = new Y.Text();
			map.set('text', text);
			text.insert(0, 'typed');
		});
		const read = readPlain(record);
		expect(read).toEqual({ ok: true, value: record.toJSON() });
		expect(read.ok && Object.keys(read.value as object)).toEqual(Object.keys(record.toJSON()));
	});

	it('keeps a key named __proto__ a key', () => {
		const read = readPlain(stored((map) => map.set('__proto__', { polluted: true })));
		expect(read.ok && Object.getPrototypeOf(read.value)).toBe(Object.prototype);
		expect(read.ok && Object.hasOwn(read.value as object, '__proto__')).toBe(true);
	});

	it('gives up, with a reason, past its depth, values and characters', () => {
		const limits = { depth: 3, values: 10, chars: 20 };
		const deep = { a: { b: { c: { d: 1 } } } };
		expect(readPlain(deep, limits)).toEqual({
			ok: false,
			problem: 'nested too deep (over 3 levels)'
		});
		expect(readPlain({ a: { b: 1 } }, limits).ok).toBe(true);
		expect(
			readPlain(
				Array.from({ length: 11 }, () => 0),
				limits
			)
		).toEqual({
			ok: false,
			problem: 'too large (over 10 values)'
		});
		expect(readPlain({ text: 'x'.repeat(30) }, limits)).toEqual({
			ok: false,
			problem: 'too large (over 20 characters)'
		});
		const longText = stored((map) => {
			const text = new Y.Text();
			map.set('text', text);
			text.insert(0, 'x'.repeat(30));
		});
		expect(readPlain(longText, limits).ok).toBe(false);
	});

	it('stops reading a map of many keys at the limit', () => {
		const record = stored((map) => {
			for (let index = 0; index < 50_000; index++) map.set(`k${index}`, index);
		});
		// It stops at the limit instead of reading on: the reason names the limit it hit.
		const read = readPlain(record, { depth: 8, values: 100, chars: 1000 });
		expect(read.ok).toBe(false);
		expect(read.ok === false && read.problem).toBe('too large (over 100 values)');
	});

	it('refuses kinds of value no record holds', () => {
		const record = stored((map) => map.set('xml', new Y.XmlElement('p')));
		expect(readPlain(record)).toMatchObject({ ok: false, problem: /unexpected kind/ });
		expect(readPlain({ when: new Date(0) })).toMatchObject({ ok: false });
	});

	it('reads primitives and bytes as they are', () => {
		expect(readPlain(null)).toEqual({ ok: true, value: null });
		expect(readPlain(7)).toEqual({ ok: true, value: 7 });
		const bytes = new Uint8Array([1, 2]);
		expect(readPlain(bytes)).toEqual({ ok: true, value: bytes });
	});
});
