// A minimal stand-in for the four crypto.subtle calls y-webrtc's password
// path makes (importKey PBKDF2 raw, deriveKey PBKDF2 -> AES-GCM, encrypt,
// decrypt), backed by audited pure-JS code. Browsers hide crypto.subtle on
// plain-http origins (a phone opening http://192.168.1.20:8080), where
// y-webrtc would otherwise throw in its constructor. Output is byte-for-byte
// what WebCrypto produces, so shimmed and native peers talk to each other.
//
// It installs itself only where crypto.subtle is missing, and it supports
// nothing beyond those calls: anything else rejects with NotSupportedError.
import { gcm } from '@noble/ciphers/aes.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';

const RAW = Symbol('raw key bytes');

interface ShimKey {
	type: 'secret';
	extractable: boolean;
	algorithm: { name: string; length?: number };
	usages: string[];
	[RAW]: Uint8Array;
}

type Algorithm = string | { name: string; [key: string]: unknown };

function bytesOf(source: unknown): Uint8Array {
	if (source instanceof ArrayBuffer) return new Uint8Array(source);
	if (ArrayBuffer.isView(source)) {
		// Respect the view's window: y-webrtc hands us sub-arrays of a larger buffer.
		return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
	}
	throw new TypeError('Expected an ArrayBuffer or a typed array.');
}

function nameOf(algorithm: Algorithm): string {
	return (typeof algorithm === 'string' ? algorithm : algorithm.name).toUpperCase();
}

function notSupported(what: string): Promise<never> {
	return Promise.reject(new DOMException(`${what} is not supported here`, 'NotSupportedError'));
}

function keyBytes(key: unknown, algorithm: string): Uint8Array {
	const shimKey = key as ShimKey;
	if (!shimKey || !(RAW in shimKey) || shimKey.algorithm.name.toUpperCase() !== algorithm) {
		throw new DOMException('Key does not match the algorithm', 'InvalidAccessError');
	}
	return shimKey[RAW];
}

/** Copy into a fresh ArrayBuffer, as WebCrypto returns. */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
	return bytes.slice().buffer;
}

export const subtleShim = {
	async importKey(
		format: string,
		keyData: unknown,
		algorithm: Algorithm,
		extractable: boolean,
		usages: string[]
	): Promise<ShimKey> {
		const name = nameOf(algorithm);
		if (format !== 'raw' || (name !== 'PBKDF2' && name !== 'AES-GCM')) {
			return notSupported(`importKey(${format}, ${name})`);
		}
		return {
			type: 'secret',
			extractable,
			algorithm: { name },
			usages,
			[RAW]: bytesOf(keyData).slice()
		};
	},

	async deriveKey(
		algorithm: { name: string; salt: unknown; iterations: number; hash: Algorithm },
		baseKey: unknown,
		derivedKeyType: { name: string; length: number },
		extractable: boolean,
		usages: string[]
	): Promise<ShimKey> {
		if (
			nameOf(algorithm) !== 'PBKDF2' ||
			nameOf(algorithm.hash) !== 'SHA-256' ||
			nameOf(derivedKeyType) !== 'AES-GCM'
		) {
			return notSupported('deriveKey with these algorithms');
		}
		const length = derivedKeyType.length;
		if (length !== 128 && length !== 256) return notSupported(`AES-GCM-${length}`);
		const raw = await pbkdf2Async(sha256, keyBytes(baseKey, 'PBKDF2'), bytesOf(algorithm.salt), {
			c: algorithm.iterations,
			dkLen: length / 8
		});
		return {
			type: 'secret',
			extractable,
			algorithm: { name: 'AES-GCM', length },
			usages,
			[RAW]: raw
		};
	},

	async encrypt(
		algorithm: { name: string; iv: unknown; additionalData?: unknown },
		key: unknown,
		data: unknown
	): Promise<ArrayBuffer> {
		if (nameOf(algorithm) !== 'AES-GCM') return notSupported(`encrypt(${nameOf(algorithm)})`);
		const aad =
			algorithm.additionalData === undefined ? undefined : bytesOf(algorithm.additionalData);
		const cipher = gcm(keyBytes(key, 'AES-GCM'), bytesOf(algorithm.iv), aad);
		return toArrayBuffer(cipher.encrypt(bytesOf(data)));
	},

	async decrypt(
		algorithm: { name: string; iv: unknown; additionalData?: unknown },
		key: unknown,
		data: unknown
	): Promise<ArrayBuffer> {
		if (nameOf(algorithm) !== 'AES-GCM') return notSupported(`decrypt(${nameOf(algorithm)})`);
		const aad =
			algorithm.additionalData === undefined ? undefined : bytesOf(algorithm.additionalData);
		try {
			const cipher = gcm(keyBytes(key, 'AES-GCM'), bytesOf(algorithm.iv), aad);
			return toArrayBuffer(cipher.decrypt(bytesOf(data)));
		} catch {
			// WebCrypto reports a wrong key or tampered data as OperationError.
			throw new DOMException(
				'The operation failed for an operation-specific reason',
				'OperationError'
			);
		}
	}
};

/** True when the shim had to be installed (the page is not a secure context). */
export function ensureSubtleCrypto(target: { crypto?: Crypto } = globalThis): boolean {
	const cryptoObject = target.crypto;
	if (!cryptoObject)
		throw new Error('This browser has no crypto.getRandomValues; Barnraise cannot run.');
	if (cryptoObject.subtle) return false;
	Object.defineProperty(cryptoObject, 'subtle', { value: subtleShim, configurable: true });
	return true;
}
