import jsQR from 'jsqr';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { makeInviteLink, parseInvite } from './invite';
import { generateSpaceKey } from './keys';

/** Rasterize a QR matrix the way a screen shows it, then read it back like a camera would. */
function scan(data: boolean[][], scale = 4, quietZone = 4): string | null {
	const modules = data.length + quietZone * 2;
	const size = modules * scale;
	const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
	data.forEach((row, y) =>
		row.forEach((dark, x) => {
			if (!dark) return;
			for (let dy = 0; dy < scale; dy++) {
				for (let dx = 0; dx < scale; dx++) {
					const offset = (((y + quietZone) * scale + dy) * size + (x + quietZone) * scale + dx) * 4;
					pixels[offset] = pixels[offset + 1] = pixels[offset + 2] = 0;
				}
			}
		})
	);
	return jsQR(pixels, size, size)?.data ?? null;
}

describe('invite QR code', () => {
	it('decodes back to the same invite at its real size, and stays a small code', () => {
		const link = makeInviteLink('http://192.168.100.200:8080', {
			key: generateSpaceKey(),
			name: 'Eastside flood response — Block 14 mutual aid',
			signaling: ['ws://10.0.0.5:8080/signal']
		});
		const qr = encode(link, { ecc: 'M', border: 0 });
		// Version 10 (57×57 modules) and below scan reliably from a phone screen.
		expect(qr.version).toBeLessThanOrEqual(10);
		const read = scan(qr.data);
		expect(read).toBe(link);
		const parsed = parseInvite(read ?? '');
		expect(parsed.ok).toBe(true);
	});
});
