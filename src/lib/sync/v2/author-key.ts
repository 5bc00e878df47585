// An author id as text, for maps and storage keys. Its own module so that
// views can name devices without loading the entry codec and its hashing.
import type { AuthorId } from './entry';

export function authorKey(author: AuthorId): string {
	return hexOf(author);
}

/** Bytes as lowercase hex. */
export function hexOf(bytes: Uint8Array): string {
	let hex = '';
	for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
	return hex;
}
