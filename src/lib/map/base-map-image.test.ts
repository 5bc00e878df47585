import { describe, expect, it } from 'vitest';
import { MAX_BYTES, MAX_SIDE, shrinkToFit, TARGET_BYTES, type Encoder } from './base-map-image';

/**
 * A JPEG encoder whose output size goes with pixels × quality, as real ones roughly do.
 * Its "blob" has only a size, which is all `shrinkToFit` reads: real bytes would make
 * the last test allocate gigabytes and time out on a busy machine.
 */
function fakeEncoder(bytesPerPixelAtFullQuality: number) {
	const calls: [number, number, number][] = [];
	const encode: Encoder = async (width, height, quality) => {
		calls.push([width, height, quality]);
		const size = Math.round(width * height * bytesPerPixelAtFullQuality * quality);
		return { size } as Blob;
	};
	return { encode, calls };
}

describe('base map shrinking', () => {
	it('keeps a small JPEG as it is', async () => {
		const { encode, calls } = fakeEncoder(1);
		const result = await shrinkToFit(
			{ size: 400_000, type: 'image/jpeg', width: 1600, height: 1200 },
			encode
		);
		expect(result).toEqual({ blob: null, width: 1600, height: 1200 });
		expect(calls).toEqual([]);
	});

	it('scales a big photo to the longest side allowed, keeping its shape', async () => {
		const { encode, calls } = fakeEncoder(0.2);
		const result = await shrinkToFit(
			{ size: 9_000_000, type: 'image/jpeg', width: 4032, height: 3024 },
			encode
		);
		expect(calls[0]?.slice(0, 2)).toEqual([MAX_SIDE, 1920]);
		expect(result.blob!.size).toBeLessThanOrEqual(TARGET_BYTES);
		expect(result.width / result.height).toBeCloseTo(4032 / 3024, 2);
	});

	it('lowers quality, then size, until it fits', async () => {
		const { encode, calls } = fakeEncoder(0.9);
		const result = await shrinkToFit(
			{ size: 30_000_000, type: 'image/png', width: 5000, height: 5000 },
			encode
		);
		expect(result.blob!.size).toBeLessThanOrEqual(TARGET_BYTES);
		expect(calls.length).toBeGreaterThan(3);
		expect(result.width).toBeLessThan(MAX_SIDE);
	});

	it('refuses what cannot be made small enough, saying how big it stays', async () => {
		const { encode } = fakeEncoder(50);
		await expect(
			shrinkToFit({ size: 30_000_000, type: 'image/png', width: 5000, height: 5000 }, encode)
		).rejects.toMatchObject({
			problem: { kind: 'still-too-big', bytes: expect.any(Number), max: MAX_BYTES }
		});
	});
});
