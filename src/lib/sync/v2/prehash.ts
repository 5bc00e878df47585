// Hashing a range's entries before the engine verifies it (#14, "Fast
// joins"). The engine verifies at once, in JavaScript (@noble/hashes): for a
// join of 20,000 posts that was about a quarter of a second of the joining
// page's main thread. Where the platform has WebCrypto (a secure context, or
// Node), a link hashes an ENTRIES message's entries natively while the
// message waits its turn, and hands the hashes to the engine with it. A page
// on plain http (a LAN without a certificate) has no WebCrypto: there a
// worker hashes them in JavaScript (hash-worker.ts), beside the page.
//
// The engine trusts these hashes as it trusts its own: verifyRange walks the
// chain from the signed head with them. They are sound because each is of
// exactly the bytes the engine then decodes from the same message, with the
// same decodeMessage (link buffers are never written to once received),
// hashed as hashEntry hashes them (the worker: by hashEntry itself, of a
// copy); a test checks they agree.
//
// Only ranges of large entries are hashed here (a join's): a peer's range of
// thousands of tiny or malformed entries would cost a digest call each
// before the engine refused it at once, and small honest entries (live
// edits) hash faster in JavaScript than a call to the platform takes.
import { decodeEntry, type AuthorId, type EntryHash } from './entry';
import type { HashAnswer, HashAsk } from './hash-worker';
import { MessageType, decodeMessage } from './messages';

/** Hashes a range's entries, in order. */
type Hasher = (author: AuthorId, entries: Uint8Array[]) => Promise<EntryHash[]>;

/** The platform's digest, or null where there is none (plain http, where a shim stands in). */
function nativeDigest(): ((bytes: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>) | null {
	const subtle = globalThis.crypto?.subtle;
	if (!subtle || globalThis.isSecureContext === false) return null;
	return (bytes) => subtle.digest('SHA-256', bytes);
}

let digestFailed = false;

/** The page's one hashing worker, made when first needed; null once it failed. */
let worker: Worker | null | undefined;
const waiting = new Map<
	number,
	{ resolve: (hashes: EntryHash[]) => void; reject: (error: Error) => void }
>();
let asked = 0;
/**
 * A range's hashes take well under a second; a worker that has not answered
 * in this long is taken to be gone (out of memory, say) and is stopped, and
 * the engine hashes what came since: no link waits for ever.
 */
export const WORKER_ANSWER_MS = 30_000;

/** The worker failed or stopped answering: let it go, and everything waiting goes to the engine. */
function dropWorker(why: string): void {
	worker?.terminate();
	worker = null;
	for (const ask of waiting.values()) ask.reject(new Error(why));
	waiting.clear();
}

/** Hashing by the worker, where a page can start one; null where it cannot (Node, or it failed). */
function workerHasher(): Hasher | null {
	if (worker === undefined) {
		try {
			worker =
				typeof Worker === 'undefined'
					? null
					: new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
		} catch {
			worker = null;
		}
		worker?.addEventListener('message', (event: MessageEvent<HashAnswer>) => {
			const answer = event.data;
			const ask = waiting.get(answer.id);
			waiting.delete(answer.id);
			if ('hashes' in answer) ask?.resolve(answer.hashes as EntryHash[]);
			else ask?.reject(new Error(answer.error));
		});
		// A worker that cannot run (its script would not load): everything waiting goes to the engine.
		worker?.addEventListener('error', () => dropWorker('the hashing worker failed'));
	}
	const running = worker;
	if (!running) return null;
	return (author, entries) =>
		new Promise<EntryHash[]>((resolve, reject) => {
			const id = ++asked;
			const timer = setTimeout(
				() => dropWorker('the hashing worker stopped answering'),
				WORKER_ANSWER_MS
			);
			const settle = () => clearTimeout(timer);
			waiting.set(id, {
				resolve: (hashes) => (settle(), resolve(hashes)),
				reject: (error) => (settle(), reject(error))
			});
			running.postMessage({ id, author, entries } satisfies HashAsk);
		});
}

/** Whether a range could be hashed here at all: asked before a message is read. */
function canHash(): boolean {
	return nativeDigest() !== null || (worker !== null && typeof Worker !== 'undefined');
}

/** The platform's hashing where it has it, else the worker's; null where neither is there. */
function hasher(): Hasher | null {
	const digest = nativeDigest();
	if (digest)
		return (author, entries) =>
			Promise.all(entries.map((encoded) => hashNatively(digest, author, encoded)));
	return workerHasher();
}

/** At most this many entries are hashed here; a range of more goes to the engine as it is. */
export const PREHASH_MAX_ENTRIES = 256;
/** Entries must average at least this many bytes to be hashed here. */
export const PREHASH_MIN_AVERAGE_BYTES = 16 * 1024;

/** hashEntry's hash (entry.ts), by the platform: the version byte, the author, the rest. */
async function hashNatively(
	digest: (bytes: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>,
	author: AuthorId,
	encoded: Uint8Array
): Promise<EntryHash> {
	const joined = new Uint8Array(encoded.length + author.length);
	const head = Math.min(1, encoded.length);
	joined.set(encoded.subarray(0, head), 0);
	joined.set(author, head);
	joined.set(encoded.subarray(head), head + author.length);
	return new Uint8Array(await digest(joined)) as EntryHash;
}

/**
 * The hashes of an ENTRIES message's entries, in order, or undefined when
 * `message` is anything else or neither the platform nor a worker can hash
 * them (the engine then hashes them itself). Synchronously undefined for
 * every other message, so only a range waits. Never rejects.
 */
export function prehashEntries(message: Uint8Array): Promise<EntryHash[] | undefined> | undefined {
	// Where nothing can hash, the message is not read here only to be read again by the engine.
	if (digestFailed || message[0] !== MessageType.entries || !canHash()) return undefined;
	const read = decodeMessage(message);
	if (!read.ok || read.message.type !== 'entries') return undefined;
	const { author, entries } = read.message;
	const bytes = entries.reduce((sum, encoded) => sum + encoded.length, 0);
	if (entries.length > PREHASH_MAX_ENTRIES || bytes < entries.length * PREHASH_MIN_AVERAGE_BYTES)
		return undefined;
	// What the engine would refuse before hashing is not hashed here either.
	if (!entries.every((encoded) => decodeEntry(encoded).ok)) return undefined;
	const hash = hasher();
	if (!hash) return undefined;
	return hash(author, entries).catch((error: unknown) => {
		// A platform that refuses SHA-256 once will again: stop trying.
		digestFailed = true;
		console.warn(`entries are hashed in JavaScript from now on: ${String(error)}`);
		return undefined;
	});
}
