// Branded ids, so a post id can never be passed where a member id is meant.
// Ids are random (122+ bits), made on the device: no coordination needed.
// (Ledger entries are the exception: doc/update-rules.ts names each by its Yjs item.)

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type MemberId = Brand<string, 'MemberId'>;
export type PostId = Brand<string, 'PostId'>;
export type SpaceId = Brand<string, 'SpaceId'>;
export type SiteId = Brand<string, 'SiteId'>;
export type ItemId = Brand<string, 'ItemId'>;
export type EntryId = Brand<string, 'EntryId'>;
export type AssetId = Brand<string, 'AssetId'>;
export type LinkId = Brand<string, 'LinkId'>;
export type BaseMapId = Brand<string, 'BaseMapId'>;

const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Whether a value read from a peer looks like one of our ids. */
export function isIdLike(value: unknown): value is string {
	return typeof value === 'string' && ID_PATTERN.test(value);
}

/**
 * An id from outside the app's own records (a URL parameter, a form value):
 * the branded id when it looks like one of ours, else null. Use this instead
 * of a cast, so a bad link shows "not found" rather than reading garbage.
 */
export function parseId<T extends string>(
	value: string | null | undefined
): Brand<string, T> | null {
	return isIdLike(value) ? (value as Brand<string, T>) : null;
}

/** base64url without padding: URL- and key-safe. */
export function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
	const padded =
		text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
	try {
		const binary = atob(padded);
		return Uint8Array.from(binary, (char) => char.charCodeAt(0));
	} catch {
		return null;
	}
}

/** A fresh random id (16 random bytes). getRandomValues works on plain-http origins too. */
export function newId<T extends string>(): Brand<string, T> {
	return toBase64Url(crypto.getRandomValues(new Uint8Array(16))) as Brand<string, T>;
}
