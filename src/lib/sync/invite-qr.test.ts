import { describe, expect, it } from 'vitest';
import { makeInviteLink, parseInvite } from './invite';
import { generateSpaceKey } from './keys';
import { drawQr, readQr } from '../../../tests/support/qr';

describe('invite QR code', () => {
	it('decodes back to the same invite at its real size, and stays a small code', async () => {
		const link = makeInviteLink('http://192.168.100.200:8080', {
			key: generateSpaceKey(),
			name: 'Eastside flood response — Block 14 mutual aid',
			signaling: ['ws://10.0.0.5:8080/signal']
		});
		const qr = drawQr(link, { ecc: 'M' });
		// Version 10 (57×57 modules) and below scan reliably from a phone screen.
		expect(qr.version).toBeLessThanOrEqual(10);
		const read = await readQr(qr);
		expect(read).toBe(link);
		const parsed = parseInvite(read ?? '');
		expect(parsed.ok).toBe(true);
	});
});
