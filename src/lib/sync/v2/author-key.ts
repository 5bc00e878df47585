// An author id as text, for maps and storage keys. Its own module so that
// views can name devices without loading the entry codec and its hashing.
import type { AuthorId } from './entry';

export function authorKey(author: AuthorId): string {
	let hex = '';
	for (const byte of author) hex += byte.toString(16).padStart(2, '0');
	return hex;
}
