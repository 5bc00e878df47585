import { describe, expect, it } from 'vitest';
import { AddressCounts, TokenBucket } from './signaling-limits.js';

describe('TokenBucket', () => {
	it('allows a burst up to its capacity, then refills at its rate', () => {
		let now = 0;
		const bucket = new TokenBucket(3, 2, () => now);
		expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
			true,
			true,
			true,
			false
		]);
		now = 500; // half a second: one token back
		expect(bucket.take()).toBe(true);
		expect(bucket.take()).toBe(false);
		now = 60_000; // never more than the capacity
		expect(bucket.take(3)).toBe(true);
		expect(bucket.take()).toBe(false);
	});

	it('never fits a cost above its capacity', () => {
		const bucket = new TokenBucket(10, 10, () => 0);
		expect(bucket.take(11)).toBe(false);
		expect(bucket.take(10)).toBe(true);
	});
});

describe('AddressCounts', () => {
	it('counts up and down and forgets addresses at zero', () => {
		const counts = new AddressCounts();
		counts.add('a');
		counts.add('a');
		counts.remove('a');
		expect(counts.count('a')).toBe(1);
		counts.remove('a');
		expect(counts.count('a')).toBe(0);
	});
});
