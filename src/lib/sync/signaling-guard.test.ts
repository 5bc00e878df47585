import { describe, expect, it } from 'vitest';
import { decryptSignalingPayload, readSignalingMessage } from './signaling-guard';

describe('readSignalingMessage', () => {
	it('accepts the two messages y-webrtc sends', () => {
		expect(readSignalingMessage({ type: 'announce', from: 'a' })).toEqual({
			type: 'announce',
			from: 'a',
			to: undefined
		});
		const signal = { type: 'offer', sdp: 'v=0' };
		expect(readSignalingMessage({ type: 'signal', from: 'a', to: 'b', token: 3, signal })).toEqual({
			type: 'signal',
			from: 'a',
			to: 'b',
			token: 3,
			signal
		});
	});

	it.each([
		null,
		42,
		'announce',
		[],
		{},
		{ type: 'announce' },
		{ type: 'announce', from: '' },
		{ type: 'announce', from: 7 },
		{ type: 'announce', from: 'x'.repeat(129) },
		{ type: 'announce', from: 'a', to: 5 },
		{ type: 'signal', from: 'a' },
		{ type: 'signal', from: 'a', signal: 'not json' },
		{ type: 'signal', from: 'a', signal: [] },
		{ type: 'signal', from: 'a', signal: { type: 5 } },
		{ type: 'launch', from: 'a' }
	])('drops %j', (value) => {
		expect(readSignalingMessage(value)).toBeNull();
	});
});

describe('decryptSignalingPayload', () => {
	it('rejects (never throws synchronously) on anything that is not a sealed frame', async () => {
		const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'decrypt'
		]);
		const envelope = Buffer.concat([
			Buffer.from([7]),
			Buffer.from('AES-GCM'),
			Buffer.from([12]),
			Buffer.alloc(12),
			Buffer.from([16]),
			Buffer.alloc(16)
		]).toString('base64');
		for (const text of ['', 'AAAA', '////', 'not base64!', envelope]) {
			await expect(decryptSignalingPayload(text, key)).rejects.toThrow();
		}
	});
});
