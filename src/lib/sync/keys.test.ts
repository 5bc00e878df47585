import { describe, expect, it } from 'vitest';
import { decodeSpaceKey, deriveSpaceSecrets, encodeSpaceKey, generateSpaceKey } from './keys';
import { makeInviteLink, parseInvite } from './invite';

describe('space keys', () => {
	it('derives stable, distinct secrets that do not contain the key', () => {
		const key = new Uint8Array(32).fill(7);
		const a = deriveSpaceSecrets(key);
		const b = deriveSpaceSecrets(new Uint8Array(32).fill(7));
		expect(a).toEqual(b);
		const encodedKey = encodeSpaceKey(key);
		for (const value of [a.spaceId, a.roomName, a.password])
			expect(value).not.toContain(encodedKey);
		expect(new Set([a.spaceId, a.roomName, a.password]).size).toBe(3);
		expect(a.roomName).toMatch(/^barnraise-[A-Za-z0-9_-]{32}$/);
		expect(a.bundleKey).toHaveLength(32);
	});

	it('gives different spaces different secrets', () => {
		const a = deriveSpaceSecrets(generateSpaceKey());
		const b = deriveSpaceSecrets(generateSpaceKey());
		expect(a.spaceId).not.toBe(b.spaceId);
		expect(a.roomName).not.toBe(b.roomName);
	});

	it('matches a known HKDF-SHA-256 vector (RFC 5869 case 1)', async () => {
		const { hkdf } = await import('@noble/hashes/hkdf.js');
		const { sha256 } = await import('@noble/hashes/sha2.js');
		const { hexToBytes, bytesToHex } = await import('@noble/hashes/utils.js');
		const okm = hkdf(
			sha256,
			hexToBytes('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
			hexToBytes('000102030405060708090a0b0c'),
			hexToBytes('f0f1f2f3f4f5f6f7f8f9'),
			42
		);
		expect(bytesToHex(okm)).toBe(
			'3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'
		);
	});

	it('round-trips the key through text and refuses wrong lengths', () => {
		const key = generateSpaceKey();
		expect(decodeSpaceKey(encodeSpaceKey(key))).toEqual(key);
		expect(decodeSpaceKey(encodeSpaceKey(key).slice(0, 20))).toBeNull();
		expect(decodeSpaceKey('!!!')).toBeNull();
	});
});

describe('invite links', () => {
	const key = generateSpaceKey();

	it('keeps the secret in the fragment and parses back', () => {
		const link = makeInviteLink('http://192.168.1.20:8080/', {
			key,
			name: 'Eastside flood response',
			signaling: ['ws://10.0.0.5:8080/signal']
		});
		const [beforeHash] = link.split('#');
		expect(beforeHash).toBe('http://192.168.1.20:8080/join');
		expect(beforeHash).not.toContain(encodeSpaceKey(key));
		const parsed = parseInvite(`  Join us: ${link}  `.replace('Join us: ', ''));
		expect(parsed).toEqual({
			ok: true,
			invite: { key, name: 'Eastside flood response', signaling: ['ws://10.0.0.5:8080/signal'] }
		});
	});

	it.each([
		['', 'empty'],
		['http://example.org/join', 'no-key'],
		['http://x/join#k=abc', 'damaged-key'],
		['#n=Only+a+name', 'no-key']
	])('names what is wrong with %j', (input, problem) => {
		expect(parseInvite(input)).toEqual({ ok: false, problem });
	});

	it('drops signaling entries that are not WebSocket URLs', () => {
		const link =
			makeInviteLink('http://a', { key, name: '', signaling: [] }) + '&s=javascript:alert(1)';
		const parsed = parseInvite(link);
		expect(parsed.ok && parsed.invite.signaling).toEqual([]);
	});
});
