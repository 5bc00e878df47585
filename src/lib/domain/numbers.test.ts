import { describe, expect, it } from 'vitest';
import { decimalMark, parseDecimal } from './numbers';

describe('parseDecimal', () => {
	it('reads a decimal comma and a decimal point alike', () => {
		expect(parseDecimal('2,5', '.')).toBe(2.5);
		expect(parseDecimal('2.5', ',')).toBe(2.5);
		expect(parseDecimal(' 0,25 ', ',')).toBe(0.25);
		expect(parseDecimal(',5', '.')).toBe(0.5);
	});

	it('reads a lone separator before three digits by the person’s decimal mark', () => {
		expect(parseDecimal('1,000', '.')).toBe(1000);
		expect(parseDecimal('1.000', ',')).toBe(1000);
		expect(parseDecimal('1,000', ',')).toBe(1);
		expect(parseDecimal('1.000', '.')).toBe(1);
	});

	it('reads thousands separators of either kind with a decimal mark after them', () => {
		expect(parseDecimal('1,234.5', ',')).toBe(1234.5);
		expect(parseDecimal('1.234,5', '.')).toBe(1234.5);
		expect(parseDecimal('12,345,678', '.')).toBe(12345678);
		expect(parseDecimal('12.345.678', '.')).toBe(12345678);
		expect(parseDecimal('1 234,5', ',')).toBe(1234.5);
		expect(parseDecimal('1\u202f234', ',')).toBe(1234);
	});

	it('keeps a sign', () => {
		expect(parseDecimal('-3', '.')).toBe(-3);
		expect(parseDecimal('+3,5', ',')).toBe(3.5);
	});

	it('refuses what is not a number', () => {
		for (const text of [
			'',
			'abc',
			'1,2,3.4.5',
			'1,23,456',
			'12,34.5,6',
			'1e5',
			'0x10',
			'--1',
			'3-',
			'.',
			','
		])
			expect(parseDecimal(text, '.'), text).toBeNaN();
	});

	it('reads a lone zero before three digits as a decimal, in every language', () => {
		expect(parseDecimal('0,500', '.')).toBe(0.5);
		expect(parseDecimal('0.500', ',')).toBe(0.5);
		expect(parseDecimal('0,001', '.')).toBe(0.001);
		expect(parseDecimal('-0,125', '.')).toBe(-0.125);
	});

	it('takes spaces only as thousands separators, in threes', () => {
		expect(parseDecimal('12 345', '.')).toBe(12345);
		expect(parseDecimal('12 34', '.')).toBeNaN();
		expect(parseDecimal('2 5', ',')).toBeNaN();
		expect(parseDecimal('1 234 567,5', ',')).toBe(1234567.5);
	});
});

describe('decimalMark', () => {
	it('is the mark each language writes', () => {
		expect(decimalMark('en')).toBe('.');
		expect(decimalMark('es')).toBe(',');
		expect(decimalMark('es-MX')).toBe('.');
	});
});
