import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, QrPhotoError, readQrPhoto } from './qr-decode';

describe('a photo of a code', () => {
	it('is refused before it is opened when it is larger than any photo', async () => {
		let reads = 0;
		const reader = {
			engine: 'zxing' as const,
			read: async () => {
				reads += 1;
				return null;
			}
		};
		const video = new Blob([]);
		Object.defineProperty(video, 'size', { value: 2 * 1024 ** 3 });
		const failure = await readQrPhoto(reader, video).then(
			() => null,
			(error: unknown) => error
		);
		expect(failure).toBeInstanceOf(QrPhotoError);
		expect((failure as QrPhotoError).problem).toBe('too-large');
		expect((failure as QrPhotoError).max).toBe(MAX_PHOTO_BYTES);
		expect(reads).toBe(0);
	});
});
