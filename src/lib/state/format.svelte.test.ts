import { afterEach, describe, expect, it } from 'vitest';
import { formatDay, formatNumber, readNumber } from './format';
import { locale } from './locale.svelte';

describe('format', () => {
	afterEach(() => locale.set('en'));

	it('writes and reads numbers in the interface language', () => {
		locale.set('en');
		expect(formatNumber(1234.5)).toBe('1,234.5');
		expect(readNumber('1,000')).toBe(1000);
		locale.set('es');
		// The test browser asks for English only, so Spanish formats as plain es.
		expect(formatNumber(1234.5)).toMatch(/^1\.?234,5$/);
		expect(readNumber('1.000')).toBe(1000);
		expect(readNumber('2,5')).toBe(2.5);
	});

	it('shows a stored day as that day, whatever the time zone', () => {
		locale.set('en');
		expect(formatDay('2026-12-03')).toBe('Dec 3, 2026');
		expect(formatDay('not a day')).toBe('not a day');
	});
});
