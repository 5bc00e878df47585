import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureSubtleCrypto, subtleShim } from './webcrypto-shim';

const native = webcrypto.subtle as unknown as SubtleCrypto;
const text = new TextEncoder();

/** Exactly the calls y-webrtc's crypto.js makes, against either implementation. */
async function deriveLikeYWebrtc(
	subtle: typeof subtleShim | SubtleCrypto,
	secret: string,
	room: string
) {
	const material = await subtle.importKey('raw', text.encode(secret).buffer, 'PBKDF2', false, [
		'deriveKey'
	]);
	return subtle.deriveKey(
		{ name: 'PBKDF2', salt: text.encode(room).buffer, iterations: 100000, hash: 'SHA-256' },
		material as CryptoKey,
		{ name: 'AES-GCM', length: 256 },
		true,
		['encrypt', 'decrypt']
	);
}

describe('crypto.subtle shim for plain-http origins', () => {
	it('derives the same key as WebCrypto: ciphertexts cross both ways', async () => {
		const shimKey = await deriveLikeYWebrtc(subtleShim, 'the password', 'barnraise-room');
		const nativeKey = await deriveLikeYWebrtc(native, 'the password', 'barnraise-room');
		const iv = webcrypto.getRandomValues(new Uint8Array(12));
		const message = text.encode('sync step 1');

		const fromShim = await subtleShim.encrypt({ name: 'AES-GCM', iv }, shimKey, message);
		const fromNative = await native.encrypt(
			{ name: 'AES-GCM', iv },
			nativeKey as CryptoKey,
			message
		);
		expect(new Uint8Array(fromShim)).toEqual(new Uint8Array(fromNative));
		expect(
			new Uint8Array(
				await native.decrypt({ name: 'AES-GCM', iv }, nativeKey as CryptoKey, fromShim)
			)
		).toEqual(message);
		expect(
			new Uint8Array(await subtleShim.decrypt({ name: 'AES-GCM', iv }, shimKey, fromNative))
		).toEqual(message);
	});

	it('respects the byte offset of sub-array views', async () => {
		const key = await deriveLikeYWebrtc(subtleShim, 'pw', 'room');
		const iv = new Uint8Array(12).fill(1);
		const cipher = new Uint8Array(
			await subtleShim.encrypt({ name: 'AES-GCM', iv }, key, text.encode('hi'))
		);
		const padded = new Uint8Array(cipher.byteLength + 10);
		padded.set(cipher, 5);
		const view = padded.subarray(5, 5 + cipher.byteLength);
		expect(
			new TextDecoder().decode(await subtleShim.decrypt({ name: 'AES-GCM', iv }, key, view))
		).toBe('hi');
	});

	it('fails like WebCrypto on a wrong password or tampered data', async () => {
		const key = await deriveLikeYWebrtc(subtleShim, 'right', 'room');
		const wrong = await deriveLikeYWebrtc(subtleShim, 'wrong', 'room');
		const iv = new Uint8Array(12);
		const cipher = new Uint8Array(
			await subtleShim.encrypt({ name: 'AES-GCM', iv }, key, text.encode('x'))
		);
		await expect(subtleShim.decrypt({ name: 'AES-GCM', iv }, wrong, cipher)).rejects.toMatchObject({
			name: 'OperationError'
		});
		cipher[0]! ^= 1;
		await expect(subtleShim.decrypt({ name: 'AES-GCM', iv }, key, cipher)).rejects.toMatchObject({
			name: 'OperationError'
		});
	});

	it('refuses what it does not implement', async () => {
		await expect(subtleShim.importKey('jwk', {}, 'PBKDF2', false, [])).rejects.toMatchObject({
			name: 'NotSupportedError'
		});
	});

	it('installs only where crypto.subtle is missing', () => {
		const withSubtle = {
			crypto: { subtle: native, getRandomValues: () => null } as unknown as Crypto
		};
		expect(ensureSubtleCrypto(withSubtle)).toBe(false);
		expect(withSubtle.crypto.subtle).toBe(native);
		const without = { crypto: { getRandomValues: () => null } as unknown as Crypto };
		expect(ensureSubtleCrypto(without)).toBe(true);
		expect(without.crypto.subtle).toBe(subtleShim);
	});
});
