import { describe, expect, it } from 'vitest';
import { parsePost, validatePostFields } from './post';

const valid = {
	kind: 'offer',
	title: 'Generator',
	details: '5 kW, needs fuel',
	category: 'power',
	quantity: 1,
	unit: 'unit',
	urgency: 'high',
	locationText: 'Elm St garage',
	contact: '',
	expiresAt: null,
	status: 'open',
	createdBy: 'member-12345678',
	createdAt: 1,
	updatedAt: 2,
	claims: { 'member-87654321': { at: 3, note: 'on my way' } }
};

describe('post validation', () => {
	it('accepts a well-formed post', () => {
		const read = parsePost('post-12345678', valid);
		expect(read.ok).toBe(true);
	});

	it.each([
		['a missing title', { ...valid, title: undefined }],
		['a huge title', { ...valid, title: 'x'.repeat(500) }],
		['an unknown kind', { ...valid, kind: 'demand' }],
		['an infinite quantity', { ...valid, quantity: Infinity }],
		['a negative quantity', { ...valid, quantity: -3 }],
		['an unknown status', { ...valid, status: 'deleted' }],
		['a malformed claimant', { ...valid, claims: { '!!': { at: 1 } } }],
		['a claim without time', { ...valid, claims: { 'member-87654321': {} } }],
		['a string instead of an object', 'hello'],
		['null', null]
	])('reports %s as unreadable with a reason', (_label, raw) => {
		const read = parsePost('post-12345678', raw);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.problem.length).toBeGreaterThan(0);
	});

	it('rejects a malformed post id', () => {
		expect(parsePost('../../etc', valid).ok).toBe(false);
	});

	it('names each bad field when a person types, and only those', () => {
		const result = validatePostFields({ kind: 'need', title: '   ', quantity: -1 });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toEqual({ title: 'title', quantity: 'quantity' });
	});

	it('fills defaults for optional fields and trims the title', () => {
		const result = validatePostFields({ kind: 'need', title: '  Water  ' });
		expect(result).toEqual({
			ok: true,
			fields: {
				kind: 'need',
				title: 'Water',
				details: '',
				category: '',
				quantity: null,
				unit: '',
				urgency: 'normal',
				locationText: '',
				contact: '',
				expiresAt: null
			}
		});
	});
});
