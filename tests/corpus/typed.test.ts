// Runs the typed-value corpus (typed.cases.ts) through the app's readers.
import { describe, expect, it } from 'vitest';
import { signalingUrlFrom } from '../../src/lib/domain/addresses';
import { parseDecimal } from '../../src/lib/domain/numbers';
import { readPoint } from '../../src/lib/domain/typed-point';
import { parseStateCode } from '../../src/lib/sync/space-bundle';
import { notNumberCases, notServerCases, pointCases, stateCodeCases } from './typed.cases';

describe('bad typed values', () => {
	it.each(notNumberCases)('not a number: %s', (_label, input) => {
		expect(parseDecimal(input, '.')).toBeNaN();
		expect(parseDecimal(input, ',')).toBeNaN();
	});

	it.each(pointCases)('not a point: %s', (_label, input, problem) => {
		expect(readPoint(input)).toEqual({ ok: false, problem });
	});

	it.each(stateCodeCases)('not a state code: %s', (_label, input, problem) => {
		expect(parseStateCode(input)).toEqual({ ok: false, problem });
	});

	it.each(notServerCases)('not a server: %s', (_label, input) => {
		expect(signalingUrlFrom(input)).toBeNull();
	});
});
