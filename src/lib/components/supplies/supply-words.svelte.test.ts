import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '$lib/state/locale.svelte';
import { describeEntry, expiryText, numberToEdit, quantityProblemText } from './supply-words';

const water = { name: 'Water', unit: 'liter' };

describe('supply words', () => {
	afterEach(() => locale.set('en'));

	it('says how near an expiry is, in words, in either language', () => {
		locale.set('en');
		expect(expiryText('B1', '2026-12-04', '2026-12-01')).toBe(
			'Batch B1 expires in 3 days (Dec 4, 2026)'
		);
		expect(expiryText('', '2026-12-02', '2026-12-01')).toBe(
			'A batch expires in 1 day (Dec 2, 2026)'
		);
		expect(expiryText('B1', '2026-12-01', '2026-12-01')).toBe(
			'Batch B1 expires today (Dec 1, 2026)'
		);
		expect(expiryText('B1', '2026-11-29', '2026-12-01')).toBe(
			'Batch B1 expired 2 days ago (Nov 29, 2026)'
		);
		locale.set('es');
		expect(expiryText('B1', '2026-12-04', '2026-12-01')).toMatch(
			/^El lote B1 vence en 3 días \(4 dic\.? 2026\)$/
		);
		expect(expiryText('', '2026-11-30', '2026-12-01')).toMatch(
			/^Un lote venció hace 1 día \(30 nov\.? 2026\)$/
		);
	});

	it('describes ledger lines and refusals with numbers in the language’s style', () => {
		locale.set('en');
		expect(describeEntry({ kind: 'received', quantity: 1234.5 }, water)).toBe(
			'Received +1,234.5 liter Water'
		);
		expect(describeEntry({ kind: 'damaged', quantity: 7 }, water)).toBe('Damaged −7 liter Water');
		expect(describeEntry({ kind: 'count', quantity: 40 }, undefined)).toBe(
			'Counted 40 of an unknown item on hand'
		);
		expect(quantityProblemText({ problem: 'too-large', max: 10_000_000 })).toBe(
			'That is more than 10,000,000; check for a typo.'
		);
		locale.set('es');
		expect(describeEntry({ kind: 'distributed', quantity: 2.5 }, water)).toMatch(
			/^Repartido −2,5 liter de Water$/
		);
	});

	it('puts a stored number back in a field so it reads back the same', () => {
		locale.set('es');
		expect(numberToEdit(2.5)).toBe('2,5');
		expect(numberToEdit(2.56789)).toBe('2.56789');
		locale.set('en');
		expect(numberToEdit(1000)).toBe('1,000');
	});
});
