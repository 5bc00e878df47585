// Hashing log entries away from the page's thread where the platform has no
// WebCrypto to do it (a page on plain http, as on a LAN without a
// certificate): prehash.ts sends a range's entries here and the page goes on
// while they are hashed. Each hash is hashEntry's (entry.ts), of a copy of
// exactly the bytes the engine then decodes.
import { hashEntry, type AuthorId } from './entry';

export interface HashAsk {
	id: number;
	author: Uint8Array;
	entries: Uint8Array[];
}

export type HashAnswer = { id: number; hashes: Uint8Array[] } | { id: number; error: string };

/** Entries hashed here so far: the browser tests read it to see this worker did the hashing. */
let hashed = 0;
(globalThis as { hashedEntries?: () => number }).hashedEntries = () => hashed;

addEventListener('message', (event: MessageEvent<HashAsk>) => {
	const { id, author, entries } = event.data;
	let answer: HashAnswer;
	try {
		answer = { id, hashes: entries.map((encoded) => hashEntry(author as AuthorId, encoded)) };
		hashed += entries.length;
	} catch (error) {
		answer = { id, error: String(error) };
	}
	postMessage(answer);
});
