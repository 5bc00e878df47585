import { describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../sync/bundle';
import { readChosenBundle } from './incoming';

describe('a file chosen as a bundle', () => {
	it('is refused as too large, by its size, before a byte of it is read', async () => {
		let reads = 0;
		const video = {
			size: MAX_BUNDLE_BYTES + 1,
			arrayBuffer: async () => {
				reads += 1;
				return new ArrayBuffer(0);
			}
		};
		expect(await readChosenBundle(video)).toEqual({ ok: false, problem: { kind: 'too-large' } });
		expect(reads).toBe(0);
	});

	it('says so when the browser cannot read it', async () => {
		const gone = { size: 10, arrayBuffer: () => Promise.reject(new Error('NotReadableError')) };
		expect(await readChosenBundle(gone)).toEqual({ ok: false, problem: { kind: 'unreadable' } });
	});
});
