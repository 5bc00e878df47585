// This device's log database for one space (docs/sync-protocol.md, "Storage
// and compaction"): the device key, the logs (author|seq → entry) and each
// author's latest signed head, in IndexedDB. It owns appending: read the
// head, encode, hash, sign and write in ONE read-write transaction, so two
// tabs of one device append one after the other and never fork the chain.
// Removing the space or wiping the device deletes this database too
// (logDatabaseName is in their lists). Written beside today's sync, not sent.
import type { SpaceId } from '../../domain/ids';
import {
	MAX_ENTRY_BYTES,
	NO_PREVIOUS,
	encodeEntry,
	hashEntry,
	type AuthorId,
	type EntryHash,
	type EntryKind
} from './entry';
import { generateDeviceKey, signHead, type DeviceKey, type SignedHead } from './head';
import { clientId } from './client-id';

const DEVICE = 'device';
const ENTRIES = 'entries';
const HEADS = 'heads';
const SELF = 'self';

interface DeviceRecord extends DeviceKey {
	/** Writer epochs taken so far: each opening for writing takes the next one. */
	epochs: number;
}

interface HeadRecord {
	seq: number;
	hash: EntryHash;
	signature: Uint8Array;
}

export function logDatabaseName(spaceId: SpaceId): string {
	return `barnraise-logs-${spaceId}`;
}

/** An author as a key: IndexedDB cannot be trusted with binary keys everywhere. */
function authorKey(author: AuthorId): string {
	let hex = '';
	for (const byte of author) hex += byte.toString(16).padStart(2, '0');
	return hex;
}

function done(transaction: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		transaction.oncomplete = () => resolve();
		transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
	});
}

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = factory.open(name, 1);
		request.onupgradeneeded = () => {
			const db = request.result;
			db.createObjectStore(DEVICE);
			db.createObjectStore(ENTRIES);
			db.createObjectStore(HEADS);
		};
		request.onsuccess = () => {
			const db = request.result;
			// Let removing the space or wiping the device delete it at once.
			db.onversionchange = () => db.close();
			resolve(db);
		};
		request.onerror = () => reject(request.error);
	});
}

/**
 * Forget this device's key for the logs in database `name`, if that database
 * exists (it is never created here). Removing a space and wiping the device
 * call it before deleting the database, which another tab holding it open
 * can hold back for good: a read-write transaction is not held back.
 */
export function forgetDeviceKey(name: string, factory: IDBFactory = indexedDB): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = factory.open(name);
		// No such database: nothing to forget, and none is left behind.
		request.onupgradeneeded = () => request.transaction?.abort();
		request.onerror = (event) => {
			event.preventDefault();
			if (request.error?.name === 'AbortError') resolve();
			else reject(request.error);
		};
		request.onsuccess = () => {
			const db = request.result;
			if (!db.objectStoreNames.contains(DEVICE)) {
				db.close();
				resolve();
				return;
			}
			const transaction = db.transaction(DEVICE, 'readwrite', { durability: 'strict' });
			transaction.objectStore(DEVICE).clear();
			done(transaction)
				.then(resolve, reject)
				.finally(() => db.close());
		};
	});
}

export type AppendResult =
	{ ok: true; head: SignedHead } | { ok: false; reason: 'oversize'; bytes: number };

export interface LocalLogOptions {
	/** Defaults to the browser's; tests pass a fake-indexeddb factory. */
	indexedDB?: IDBFactory;
}

/** One tab's handle on a space's logs, writing under a writer epoch of its own. */
export class LocalLog {
	readonly author: AuthorId;
	/** Taken for this handle alone: two tabs never share one. */
	readonly epoch: number;
	/** The Yjs client id this tab's doc must write under. */
	readonly clientId: number;
	readonly #db: IDBDatabase;
	readonly #key: DeviceKey;

	private constructor(db: IDBDatabase, key: DeviceKey, epoch: number) {
		this.#db = db;
		this.#key = key;
		this.author = key.author;
		this.epoch = epoch;
		this.clientId = clientId(key.author, epoch);
	}

	/**
	 * Open the space's logs for writing: the device key is made the first time
	 * (in the same transaction that reads it, so two tabs opening at once end
	 * with one key), and a new writer epoch is taken.
	 */
	static async open(spaceId: SpaceId, options: LocalLogOptions = {}): Promise<LocalLog> {
		const db = await openDatabase(options.indexedDB ?? indexedDB, logDatabaseName(spaceId));
		try {
			const transaction = db.transaction(DEVICE, 'readwrite');
			const store = transaction.objectStore(DEVICE);
			let record: DeviceRecord | undefined;
			store.get(SELF).onsuccess = (event) => {
				const stored = (event.target as IDBRequest<DeviceRecord | undefined>).result;
				record = stored
					? { ...stored, epochs: stored.epochs + 1 }
					: { ...generateDeviceKey(), epochs: 1 };
				store.put(record, SELF);
			};
			await done(transaction);
			const { secretKey, author, epochs } = record!;
			return new LocalLog(db, { secretKey, author }, epochs);
		} catch (error) {
			db.close();
			throw error;
		}
	}

	/**
	 * Append one entry of this device's log and sign the new head, all in one
	 * read-write transaction: another tab's append runs wholly before or after.
	 */
	async append(kind: EntryKind, body: Uint8Array, time: number): Promise<AppendResult> {
		const transaction = this.#db.transaction([ENTRIES, HEADS], 'readwrite');
		const heads = transaction.objectStore(HEADS);
		const entries = transaction.objectStore(ENTRIES);
		const author = authorKey(this.author);
		let result: AppendResult | undefined;
		heads.get(author).onsuccess = (event) => {
			const last = (event.target as IDBRequest<HeadRecord | undefined>).result;
			const seq = (last?.seq ?? 0) + 1;
			const encoded = encodeEntry({
				seq,
				prev: last?.hash ?? NO_PREVIOUS,
				kind,
				epoch: this.epoch,
				time,
				body
			});
			if (encoded.length > MAX_ENTRY_BYTES) {
				result = { ok: false, reason: 'oversize', bytes: encoded.length };
				return;
			}
			const head = signHead(this.#key, seq, hashEntry(this.author, encoded));
			// add, not put: were the chain ever to fork here, the write fails instead.
			entries.add(encoded, [author, seq]);
			heads.put({ seq, hash: head.hash, signature: head.signature } satisfies HeadRecord, author);
			result = { ok: true, head };
		};
		await done(transaction);
		return result!;
	}

	/** An author's latest signed head on this device, or null when none. */
	async head(author: AuthorId = this.author): Promise<SignedHead | null> {
		const transaction = this.#db.transaction(HEADS, 'readonly');
		const request = transaction.objectStore(HEADS).get(authorKey(author));
		await done(transaction);
		const record = request.result as HeadRecord | undefined;
		return record ? { author, ...record } : null;
	}

	/** An author's encoded entries from..to (inclusive), as stored. */
	async range(author: AuthorId, from: number, to: number): Promise<Uint8Array[]> {
		const key = authorKey(author);
		const transaction = this.#db.transaction(ENTRIES, 'readonly');
		const request = transaction
			.objectStore(ENTRIES)
			.getAll(IDBKeyRange.bound([key, from], [key, to]));
		await done(transaction);
		return request.result as Uint8Array[];
	}

	close(): void {
		this.#db.close();
	}
}
