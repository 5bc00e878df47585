import { describe, expect, it } from 'vitest';
import { deflateRaw, inflateRaw, InflateLimitError } from './compression';

describe('deflate-raw with a cap on inflating', () => {
	it('round-trips', async () => {
		const bytes = new TextEncoder().encode('water, tarps, insulin; '.repeat(500));
		const packed = await deflateRaw(bytes);
		expect(packed.byteLength).toBeLessThan(bytes.byteLength / 10);
		expect(await inflateRaw(packed, bytes.byteLength)).toEqual(bytes);
	});

	it('stops a small input that inflates past the cap, early', async () => {
		// 64 MiB of zeros packs to ~64 KiB; the cap is 1 MiB.
		const bomb = await deflateRaw(new Uint8Array(64 * 1024 * 1024));
		expect(bomb.byteLength).toBeLessThan(100_000);
		await expect(inflateRaw(bomb, 1024 * 1024)).rejects.toBeInstanceOf(InflateLimitError);
	});

	it('refuses bytes that are not deflate data', async () => {
		await expect(
			inflateRaw(new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x12]), 1000)
		).rejects.toThrow();
	});
});
