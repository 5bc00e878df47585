// This device's log database for one space (docs/sync-protocol.md, "Storage
// and compaction"): the device key, the logs (author|seq → entry) of this
// device and of every author it was given, the signed heads it holds, this
// device's latest head, and how far each log was applied. It owns appending:
// read the head, encode, hash, sign and write in ONE read-write transaction,
// so two tabs of one device append one after the other and never fork the
// chain. Removing the space or wiping the device deletes this database too
// (logDatabaseName is in their lists).
import { HeldOpenError } from '../../device/held-open';
import type { SpaceId } from '../../domain/ids';
import {
	MAX_ENTRY_BYTES,
	NO_PREVIOUS,
	authorKey,
	encodeEntry,
	hashEntry,
	type AuthorId,
	type EntryHash,
	type EntryKind
} from './entry';
import type { ForkEvidence } from './engine';
import { generateDeviceKey, signHead, type DeviceKey, type SignedHead } from './head';
import { clientId, signedEpoch } from './client-id';

import { DEVICE_STORE as DEVICE, done, logDatabaseName } from './log-database';
import { ownBytes } from '../own-bytes';

export { forgetDeviceKey, logDatabaseName } from './log-database';
const ENTRIES = 'entries';
const HEADS = 'heads';
/** [author, seq] → head signature: every signed head held, to serve ranges up to. */
const SIGNATURES = 'signatures';
/** author → Progress. */
const PROGRESS = 'progress';
const SELF = 'self';
const VERSION = 2;

interface DeviceRecord extends DeviceKey {
	/** Writer epochs taken so far: each opening for writing takes the next one. */
	epochs: number;
}

interface HeadRecord {
	seq: number;
	hash: EntryHash;
	signature: Uint8Array;
}

/** How long opening waits for another tab to let go of an older version before giving up. */
export const OPEN_WAIT_MS = 5_000;

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		let gaveUp = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const request = factory.open(name, VERSION);
		// A tab of an older app that never closes its connection blocks the
		// upgrade: fail with a message instead of leaving the space unopened forever.
		request.onblocked = () => {
			timer ??= setTimeout(() => {
				gaveUp = true;
				reject(new HeldOpenError('this space’s logs'));
			}, OPEN_WAIT_MS);
		};
		request.onupgradeneeded = (event) => {
			const db = request.result;
			if (event.oldVersion < 1) {
				db.createObjectStore(DEVICE);
				db.createObjectStore(ENTRIES);
				db.createObjectStore(HEADS);
			}
			if (event.oldVersion < 2) {
				db.createObjectStore(SIGNATURES);
				db.createObjectStore(PROGRESS);
			}
		};
		request.onsuccess = () => {
			clearTimeout(timer);
			const db = request.result;
			// Let removing the space or wiping the device delete it at once.
			db.onversionchange = () => db.close();
			if (gaveUp) db.close();
			else resolve(db);
		};
		request.onerror = () => {
			clearTimeout(timer);
			reject(request.error);
		};
	});
}

export type AppendResult =
	| { ok: true; head: SignedHead; encoded: Uint8Array }
	| { ok: false; reason: 'oversize'; bytes: number }
	/** Another append (another tab's) came first: the entry would not be at the seq asked for. */
	| { ok: false; reason: 'moved'; seq: number };

/** How far an author's log was applied to the doc on this device, and whether it stopped. */
export interface Progress {
	applied: number;
	stopped: { seq: number; reason: string } | null;
	/** For a fork: the proof, to tell devices met after a restart. */
	proof?: ForkEvidence;
}

/** One author's log as stored: entries 1..n, the heads held, the progress. */
export interface StoredLog {
	author: AuthorId;
	/** The seq of entries[0]: 1, or a checkpoint's once the author compacted. */
	first: number;
	/** Entries first.. in order, up to the first one missing. */
	entries: Uint8Array[];
	/** seq → signature of the signed head at seq. */
	signatures: Map<number, Uint8Array>;
	progress: Progress;
}

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
				const key = stored ?? generateDeviceKey();
				record = { ...key, epochs: signedEpoch(key.author, (stored?.epochs ?? 0) + 1) };
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
	 * With `at`, only if the entry would be that seq (a checkpoint holds
	 * everything before it, so it must come right after what it was made of).
	 * `epoch` is this tab's own but for changes an earlier one never logged (unlogged.ts).
	 */
	async append(
		kind: EntryKind,
		body: Uint8Array,
		time: number,
		at?: number,
		epoch = this.epoch
	): Promise<AppendResult> {
		const [result] = await this.appendAll(kind, [body], time, at, epoch);
		return result!;
	}

	/**
	 * Append several entries in one transaction: all of them, or (when the
	 * first is not at `at`, or one is oversize) none. An import cut into
	 * pieces must not stop halfway, nor let another tab's entry in between.
	 * One result per entry; on failure, the one failure.
	 */
	async appendAll(
		kind: EntryKind,
		bodies: readonly Uint8Array[],
		time: number,
		at?: number,
		epoch = this.epoch
	): Promise<AppendResult[]> {
		const transaction = this.#db.transaction([ENTRIES, HEADS, SIGNATURES], 'readwrite');
		const heads = transaction.objectStore(HEADS);
		const entries = transaction.objectStore(ENTRIES);
		const signatures = transaction.objectStore(SIGNATURES);
		const author = authorKey(this.author);
		let results: AppendResult[] = [];
		heads.get(author).onsuccess = (event) => {
			const last = (event.target as IDBRequest<HeadRecord | undefined>).result;
			let seq = (last?.seq ?? 0) + 1;
			if (at !== undefined && seq !== at) {
				results = [{ ok: false, reason: 'moved', seq }];
				return;
			}
			let prev = last?.hash ?? NO_PREVIOUS;
			const made: { encoded: Uint8Array; head: SignedHead }[] = [];
			for (const body of bodies) {
				const encoded = encodeEntry({ seq, prev, kind, epoch, time, body });
				if (encoded.length > MAX_ENTRY_BYTES) {
					results = [{ ok: false, reason: 'oversize', bytes: encoded.length }];
					return;
				}
				const head = signHead(this.#key, seq, hashEntry(this.author, encoded));
				made.push({ encoded, head });
				prev = head.hash;
				seq += 1;
			}
			for (const { encoded, head } of made) {
				// add, not put: were the chain ever to fork here, the write fails instead.
				entries.add(ownBytes(encoded), [author, head.seq]);
				signatures.put(ownBytes(head.signature), [author, head.seq]);
			}
			const tip = made.at(-1);
			if (tip)
				heads.put(
					{
						seq: tip.head.seq,
						hash: ownBytes(tip.head.hash),
						signature: ownBytes(tip.head.signature)
					} satisfies HeadRecord,
					author
				);
			results = made.map(({ encoded, head }) => ({ ok: true, head, encoded }));
		};
		await done(transaction);
		return results;
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

	/**
	 * Keep another author's verified range (entries from..head.seq) and its
	 * head. Ranges arrive in order on top of what is kept, so the log stays
	 * whole from 1.
	 */
	async putRange(from: number, encoded: Uint8Array[], head: SignedHead): Promise<void> {
		const author = authorKey(head.author);
		const transaction = this.#db.transaction([ENTRIES, SIGNATURES], 'readwrite');
		const entries = transaction.objectStore(ENTRIES);
		// Each its own bytes: a range's entries and head are views of the message they came in.
		for (const [i, bytes] of encoded.entries()) entries.put(ownBytes(bytes), [author, from + i]);
		transaction.objectStore(SIGNATURES).put(ownBytes(head.signature), [author, head.seq]);
		await done(transaction);
	}

	/** Let go of an author's entries (and heads) past `length`. */
	async dropAbove(author: AuthorId, length: number): Promise<void> {
		const key = authorKey(author);
		const above = IDBKeyRange.bound([key, length + 1], [key, Infinity]);
		const transaction = this.#db.transaction([ENTRIES, SIGNATURES], 'readwrite');
		transaction.objectStore(ENTRIES).delete(above);
		transaction.objectStore(SIGNATURES).delete(above);
		await done(transaction);
	}

	/** Let go of an author's entries (and heads) below `seq`: a checkpoint there replaced them. */
	async dropBelow(author: AuthorId, seq: number): Promise<void> {
		const key = authorKey(author);
		if (seq <= 1) return;
		const below = IDBKeyRange.bound([key, 0], [key, seq - 1]);
		const transaction = this.#db.transaction([ENTRIES, SIGNATURES], 'readwrite');
		transaction.objectStore(ENTRIES).delete(below);
		transaction.objectStore(SIGNATURES).delete(below);
		await done(transaction);
	}

	async putProgress(author: AuthorId, progress: Progress): Promise<void> {
		const transaction = this.#db.transaction(PROGRESS, 'readwrite');
		transaction.objectStore(PROGRESS).put(progress, authorKey(author));
		await done(transaction);
	}

	/**
	 * Entries from..to of `author` with the signed head at `to`, as kept; null
	 * when any of them, or that head, is not kept.
	 */
	async signedRange(
		author: AuthorId,
		from: number,
		to: number
	): Promise<{ entries: Uint8Array[]; head: SignedHead } | null> {
		const key = authorKey(author);
		const transaction = this.#db.transaction([ENTRIES, SIGNATURES], 'readonly');
		const entries = transaction
			.objectStore(ENTRIES)
			.getAll(IDBKeyRange.bound([key, from], [key, to]));
		const signature = transaction.objectStore(SIGNATURES).get([key, to]);
		await done(transaction);
		const kept = entries.result as Uint8Array[];
		if (kept.length !== to - from + 1 || !(signature.result instanceof Uint8Array)) return null;
		const hash = hashEntry(author, kept.at(-1)!);
		return { entries: kept, head: { author, seq: to, hash, signature: signature.result } };
	}

	/** The first seq kept of an author's log: 1, or its latest checkpoint's; null when none. */
	async firstKept(author: AuthorId): Promise<number | null> {
		const key = authorKey(author);
		const transaction = this.#db.transaction(ENTRIES, 'readonly');
		const request = transaction
			.objectStore(ENTRIES)
			.getKey(IDBKeyRange.bound([key, 0], [key, Infinity]));
		await done(transaction);
		const found = request.result as [string, number] | undefined;
		return found ? found[1] : null;
	}

	/** Every author's log as stored, for the engine to start from. */
	async loadAll(): Promise<StoredLog[]> {
		const transaction = this.#db.transaction([ENTRIES, SIGNATURES, PROGRESS], 'readonly');
		const entryKeys = transaction.objectStore(ENTRIES).getAllKeys();
		const entryValues = transaction.objectStore(ENTRIES).getAll();
		const signatureKeys = transaction.objectStore(SIGNATURES).getAllKeys();
		const signatureValues = transaction.objectStore(SIGNATURES).getAll();
		const progressKeys = transaction.objectStore(PROGRESS).getAllKeys();
		const progressValues = transaction.objectStore(PROGRESS).getAll();
		await done(transaction);
		const logs = new Map<string, StoredLog>();
		const logOf = (key: string): StoredLog => {
			let log = logs.get(key);
			if (!log) {
				log = {
					author: authorFromKey(key),
					first: 1,
					entries: [],
					signatures: new Map(),
					progress: { applied: 0, stopped: null }
				};
				logs.set(key, log);
			}
			return log;
		};
		// Keys sort by author, then seq: each author's entries come in order,
		// from 1 or from the checkpoint that replaced those before it.
		for (const [i, key] of (entryKeys.result as [string, number][]).entries()) {
			const fresh = !logs.has(key[0]);
			const log = logOf(key[0]);
			if (fresh) log.first = key[1];
			// A hole (a write that never finished) ends what is usable of the log.
			if (key[1] === log.first + log.entries.length)
				log.entries.push(entryValues.result[i] as Uint8Array);
		}
		for (const [i, key] of (signatureKeys.result as [string, number][]).entries())
			logOf(key[0]).signatures.set(key[1], signatureValues.result[i] as Uint8Array);
		for (const [i, key] of (progressKeys.result as string[]).entries())
			logOf(key).progress = progressValues.result[i] as Progress;
		// A log with nothing kept still counts when it was stopped: the stop (and a fork's proof) stands.
		return [...logs.values()].filter((log) => log.entries.length > 0 || log.progress.stopped);
	}

	close(): void {
		this.#db.close();
	}
}

function authorFromKey(key: string): AuthorId {
	const bytes = new Uint8Array(key.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(key.slice(i * 2, i * 2 + 2), 16);
	return bytes as AuthorId;
}
