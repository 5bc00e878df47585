// The relay's store on disk: one LevelDB database (classic-level) per data
// folder, in <data>/store. LevelDB does what the old hand-written log did
// badly: atomic batches, a write-ahead log that recovers after a crash, a
// LOCK file so only one relay uses a folder, no limit on a space's size.
// This module owns the layout and the framing of values; it knows nothing
// of Yjs, and never deletes a record unless told to.
//
// Layout (keys are UTF-8 and sort bytewise; sublevels prefix them as `!name!`):
//   space/<spaceId>/log/<author>|<seq>     an encoded log entry (author in hex)
//   space/<spaceId>/heads/<author>|<seq>   the signature of the signed head at seq
//   space/<spaceId>/progress/<author>      how far that log was applied (JSON)
//   space/<spaceId>/own/key                the relay's own device key for the
//                                          space: secret, never sent (only
//                                          made to import old content)
//   space/<spaceId>/own/legacy-imported    that the old content below is in
//                                          that key's log (JSON: author, entries)
// From before sync v2 (docs/sync-protocol.md), read only, to be imported
// (legacy-import.ts) and kept:
//   space/<spaceId>/updates/<seq>   a Yjs update of today's sync; seq is 16
//                                   decimal digits, so keys sort in the order
//                                   they were written
//   meta/imported:<file name>       an older disk-log file already moved into
//                                   `updates` (legacy-log.ts)
//
// Every value is framed [1][crc32 u32][bytes] and checked on each read,
// because LevelDB does not verify its block checksums on reads unless asked
// (classic-level cannot ask). What one damaged byte costs: inside a value in
// a table file, that record; in LevelDB's framing of a table file, that 4 KiB
// block; anywhere in the write-ahead log (the latest writes), the rest of
// that 32 KiB block — never the store. Peers send what the relay lost.
import { ClassicLevel } from 'classic-level';
import { chmodSync, mkdirSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { authorKey, type AuthorId } from '../src/lib/sync/v2/entry';
import type { DeviceKey, SignedHead } from '../src/lib/sync/v2/head';
import type { Progress, StoredLog } from '../src/lib/sync/v2/log-store';

const FORMAT = 1;
const HEADER = 5;
/** Enough digits for any safe integer, so sequence numbers sort as text. */
const SEQ_DIGITS = 16;

export function seqKey(seq: number): string {
	return String(seq).padStart(SEQ_DIGITS, '0');
}

function frame(bytes: Uint8Array): Uint8Array {
	const value = new Uint8Array(HEADER + bytes.byteLength);
	value[0] = FORMAT;
	new DataView(value.buffer).setUint32(1, crc32(bytes));
	value.set(bytes, HEADER);
	return value;
}

/** The bytes a value frames, or null when it is damaged. */
function unframe(value: Uint8Array): Uint8Array | null {
	if (value.byteLength < HEADER || value[0] !== FORMAT) return null;
	const bytes = value.subarray(HEADER);
	const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
	return crc32(bytes) === view.getUint32(1) ? bytes : null;
}

/** Another process (a second relay) holds this store's lock. */
export class StoreBusyError extends Error {
	constructor(readonly location: string) {
		super(`the store ${location} is in use by another relay`);
		this.name = 'StoreBusyError';
	}
}

function causeCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } })?.cause;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}

type Database = ClassicLevel<string, Uint8Array>;

function updatesOf(db: Database, spaceId: string) {
	return db.sublevel<string, Uint8Array>(['space', spaceId, 'updates'], { valueEncoding: 'view' });
}

function ownOf(db: Database, spaceId: string) {
	return db.sublevel<string, Uint8Array>(['space', spaceId, 'own'], { valueEncoding: 'view' });
}

/** What says a space's old content is in the relay's own log. */
export interface LegacyImportRecord {
	/** The relay's own author id for the space, in hex. */
	author: string;
	/** Entries 1..entries of its log hold the import. */
	entries: number;
	/** When it was imported (ISO time). */
	at: string;
}

/** One entry of the relay's own log, with the signed head at its seq. */
export interface OwnEntry {
	encoded: Uint8Array;
	head: SignedHead;
}

export interface StoredUpdate {
	seq: number;
	update: Uint8Array;
}

export interface SpaceRecords {
	updates: StoredUpdate[];
	/** Sequence numbers of records whose bytes were damaged. */
	damaged: number[];
	/** Set when reading stopped early on an error from LevelDB itself. */
	readError?: string;
}

/** One space's Yjs updates from before sync v2: read, never written by a relay now. */
export class SpaceLog {
	readonly #db: Database;
	readonly #updates;

	constructor(db: Database, spaceId: string) {
		this.#db = db;
		this.#updates = updatesOf(db, spaceId);
	}

	/** Every record in order; damaged ones are listed, not returned. */
	async readAll(): Promise<SpaceRecords> {
		const result: SpaceRecords = { updates: [], damaged: [] };
		const iterator = this.#updates.iterator();
		try {
			for (;;) {
				const entries = await iterator.nextv(1000);
				if (entries.length === 0) break;
				for (const [key, value] of entries) {
					const seq = Number(key);
					const update = unframe(value);
					if (update) result.updates.push({ seq, update });
					else result.damaged.push(seq);
				}
			}
		} catch (error) {
			result.readError = String(error);
		} finally {
			await iterator.close();
		}
		return result;
	}

	/** Add records in one atomic batch, as relays before sync v2 did (tests seed old content so). */
	async append(updates: StoredUpdate[]): Promise<void> {
		await this.#db.batch(
			updates.map(({ seq, update }) => ({
				type: 'put' as const,
				sublevel: this.#updates,
				key: seqKey(seq),
				value: frame(update)
			})),
			{ sync: true }
		);
	}

	/** The highest sequence number stored, or 0. */
	async lastSeq(): Promise<number> {
		const [last] = await this.#updates.keys({ reverse: true, limit: 1 }).all();
		return last === undefined ? 0 : Number(last);
	}
}

export class RelayStore {
	readonly location: string;
	readonly #db: Database;
	readonly #meta;
	#ownWrites: Promise<unknown> = Promise.resolve();

	private constructor(location: string, db: Database) {
		this.location = location;
		this.#db = db;
		this.#meta = db.sublevel<string, Uint8Array>('meta', { valueEncoding: 'view' });
	}

	/**
	 * Open (or create) the store. A store another relay holds is refused with
	 * StoreBusyError; one LevelDB reports as corrupt is repaired (LevelDB's
	 * own repair keeps every record it can still read) and opened again.
	 */
	static async open(location: string, log: (line: string) => void): Promise<RelayStore> {
		// LevelDB makes its files readable by all (umask permitting), and they hold
		// the spaces' content in clear: only the owner may enter their folder.
		mkdirSync(location, { recursive: true, mode: 0o700 });
		if (process.platform !== 'win32') chmodSync(location, 0o700);
		const options = { keyEncoding: 'utf8', valueEncoding: 'view' } as const;
		let db: Database = new ClassicLevel<string, Uint8Array>(location, options);
		try {
			await db.open();
		} catch (error) {
			const code = causeCode(error);
			if (code === 'LEVEL_LOCKED') throw new StoreBusyError(location);
			if (code !== 'LEVEL_CORRUPTION') throw error;
			log(`store ${location} is damaged (${String(error)}); repairing it`);
			await ClassicLevel.repair(location);
			db = new ClassicLevel<string, Uint8Array>(location, options);
			await db.open();
			log('store repaired: records that could not be read are gone; peers will send them again');
		}
		return new RelayStore(location, db);
	}

	space(spaceId: string): SpaceLog {
		return new SpaceLog(this.#db, spaceId);
	}

	/** One space's signed logs (sync v2). */
	signedLogs(spaceId: string): SignedLogs {
		return new SignedLogs(this.#db, spaceId);
	}

	/** Whether, and as what, the space's old content went into the relay's own log; null when not. */
	async legacyImported(spaceId: string): Promise<LegacyImportRecord | null> {
		const value = await ownOf(this.#db, spaceId).get('legacy-imported');
		const bytes = value && unframe(value);
		if (!bytes) return null;
		try {
			const record = JSON.parse(new TextDecoder().decode(bytes)) as LegacyImportRecord;
			return AUTHOR_HEX.test(record.author) && Number.isSafeInteger(record.entries) ? record : null;
		} catch {
			return null;
		}
	}

	/** The relay's own device key for a space, or null when it never needed one. */
	async ownKey(spaceId: string): Promise<DeviceKey | null> {
		const value = await ownOf(this.#db, spaceId).get('key');
		const bytes = value && unframe(value);
		if (!bytes || bytes.byteLength !== 64) return null;
		return {
			secretKey: bytes.slice(0, 32),
			author: bytes.slice(32) as AuthorId
		};
	}

	/**
	 * Keep the relay's own key for a space, the first entries of that key's
	 * log (1..n, each with its signed head, where the engine reads logs) and
	 * the record that says they hold the space's old content: one atomic
	 * batch flushed to disk, so a crash leaves all of it or none. Writes
	 * nothing and returns null when the space has an own key already (its
	 * log is never started twice; imports here go one at a time).
	 */
	putLegacyImport(
		spaceId: string,
		key: DeviceKey,
		entries: OwnEntry[]
	): Promise<LegacyImportRecord | null> {
		const put = async (): Promise<LegacyImportRecord | null> => {
			const own = ownOf(this.#db, spaceId);
			if ((await own.get('key')) !== undefined) return null;
			const author = authorKey(key.author);
			const log = signedSublevel(this.#db, spaceId, 'log');
			const heads = signedSublevel(this.#db, spaceId, 'heads');
			const record: LegacyImportRecord = {
				author,
				entries: entries.length,
				at: new Date().toISOString()
			};
			const keyBytes = new Uint8Array(64);
			keyBytes.set(key.secretKey);
			keyBytes.set(key.author, 32);
			await this.#db.batch(
				[
					{ type: 'put' as const, sublevel: own, key: 'key', value: frame(keyBytes) },
					...entries.flatMap(({ encoded, head }) => [
						{
							type: 'put' as const,
							sublevel: log,
							key: `${author}|${seqKey(head.seq)}`,
							value: frame(encoded)
						},
						{
							type: 'put' as const,
							sublevel: heads,
							key: `${author}|${seqKey(head.seq)}`,
							value: frame(head.signature)
						}
					]),
					{
						type: 'put' as const,
						sublevel: own,
						key: 'legacy-imported',
						value: frame(new TextEncoder().encode(JSON.stringify(record)))
					}
				],
				{ sync: true }
			);
			return record;
		};
		const next = this.#ownWrites.then(put, put);
		this.#ownWrites = next.catch(() => {});
		return next;
	}

	async isImported(file: string): Promise<boolean> {
		return (await this.#meta.get(`imported:${file}`)) !== undefined;
	}

	/** Import an old log's updates and mark it imported, in one atomic batch. */
	async importLog(spaceId: string, updates: Uint8Array[], file: string): Promise<void> {
		const space = this.space(spaceId);
		const first = (await space.lastSeq()) + 1;
		const sublevel = updatesOf(this.#db, spaceId);
		await this.#db.batch(
			[
				...updates.map((update, index) => ({
					type: 'put' as const,
					sublevel,
					key: seqKey(first + index),
					value: frame(update)
				})),
				{
					type: 'put' as const,
					sublevel: this.#meta,
					key: `imported:${file}`,
					value: new TextEncoder().encode(new Date().toISOString())
				}
			],
			{ sync: true }
		);
	}

	async close(): Promise<void> {
		await this.#db.close();
	}
}

/** What was read of a space's signed logs, and what could not be. */
export interface SignedLogsRead {
	logs: StoredLog[];
	/** Records dropped: damaged bytes, or entries past a hole that could never be used. */
	dropped: number;
	/** Set when reading stopped early on an error from LevelDB itself. */
	readError?: string;
}

const AUTHOR_HEX = /^[0-9a-f]{64}$/;

function signedSublevel(db: Database, spaceId: string, name: 'log' | 'heads' | 'progress') {
	return db.sublevel<string, Uint8Array>(['space', spaceId, name], { valueEncoding: 'view' });
}
type Sublevel = ReturnType<typeof signedSublevel>;

function authorFromHex(hex: string): AuthorId {
	const bytes = new Uint8Array(32);
	for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return bytes as AuthorId;
}

/** `<author hex>|<seq>` → [author hex, seq], or null for a key no relay writes. */
function parseSeqKey(key: string): [string, number] | null {
	const [hex, digits] = key.split('|');
	const seq = Number(digits);
	if (!hex || !AUTHOR_HEX.test(hex) || !Number.isSafeInteger(seq) || seq < 1) return null;
	return [hex, seq];
}

function parseProgress(bytes: Uint8Array): Progress | null {
	try {
		const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Progress>;
		const stopped = value.stopped;
		if (!Number.isSafeInteger(value.applied) || (value.applied as number) < 0) return null;
		if (stopped === null) return { applied: value.applied as number, stopped: null };
		if (!Number.isSafeInteger(stopped?.seq) || typeof stopped?.reason !== 'string') return null;
		return {
			applied: value.applied as number,
			stopped: { seq: stopped.seq, reason: stopped.reason }
		};
	} catch {
		return null;
	}
}

/**
 * One space's signed logs in the store: the relay's EngineStore
 * (src/lib/sync/v2/engine.ts). Each write is one atomic batch flushed to
 * disk, and writes go one after another in the order the engine made them
 * (LevelDB may run two batches at once, and a progress written late must
 * not undo a later one).
 */
export class SignedLogs {
	readonly #db: Database;
	readonly #log: Sublevel;
	readonly #heads: Sublevel;
	readonly #progress: Sublevel;
	#writes: Promise<unknown> = Promise.resolve();

	constructor(db: Database, spaceId: string) {
		this.#db = db;
		this.#log = signedSublevel(db, spaceId, 'log');
		this.#heads = signedSublevel(db, spaceId, 'heads');
		this.#progress = signedSublevel(db, spaceId, 'progress');
	}

	#inOrder(write: () => Promise<void>): Promise<void> {
		const next = this.#writes.then(write, write);
		this.#writes = next.catch(() => {});
		return next;
	}

	/** Keep a verified range (entries from..head.seq) and its head, in one batch. */
	putRange(from: number, encoded: Uint8Array[], head: SignedHead): Promise<void> {
		const author = authorKey(head.author);
		return this.#inOrder(() =>
			this.#db.batch(
				[
					...encoded.map((bytes, i) => ({
						type: 'put' as const,
						sublevel: this.#log,
						key: `${author}|${seqKey(from + i)}`,
						value: frame(bytes)
					})),
					{
						type: 'put' as const,
						sublevel: this.#heads,
						key: `${author}|${seqKey(head.seq)}`,
						value: frame(head.signature)
					}
				],
				{ sync: true }
			)
		);
	}

	/** Let go of an author's entries and heads past `length`. */
	dropAbove(author: AuthorId, length: number): Promise<void> {
		const key = authorKey(author);
		const range = { gt: `${key}|${seqKey(length)}`, lt: `${key}}` };
		return this.#inOrder(async () => {
			const logKeys = await this.#log.keys(range).all();
			const headKeys = await this.#heads.keys(range).all();
			await this.#db.batch(
				[
					...logKeys.map((k) => ({ type: 'del' as const, sublevel: this.#log, key: k })),
					...headKeys.map((k) => ({ type: 'del' as const, sublevel: this.#heads, key: k }))
				],
				{ sync: true }
			);
		});
	}

	/** Let go of an author's entries and heads below `seq`: a checkpoint there replaced them. */
	dropBelow(author: AuthorId, seq: number): Promise<void> {
		const key = authorKey(author);
		const range = { gte: `${key}|${seqKey(0)}`, lt: `${key}|${seqKey(seq)}` };
		return this.#inOrder(async () => {
			const logKeys = await this.#log.keys(range).all();
			const headKeys = await this.#heads.keys(range).all();
			await this.#db.batch(
				[
					...logKeys.map((k) => ({ type: 'del' as const, sublevel: this.#log, key: k })),
					...headKeys.map((k) => ({ type: 'del' as const, sublevel: this.#heads, key: k }))
				],
				{ sync: true }
			);
		});
	}

	putProgress(author: AuthorId, progress: Progress): Promise<void> {
		// A fork's proof is not kept here (yet): the relay tells no one of it after a restart.
		const { applied, stopped } = progress;
		const value = frame(new TextEncoder().encode(JSON.stringify({ applied, stopped })));
		const put = { type: 'put' as const, sublevel: this.#progress, key: authorKey(author), value };
		return this.#inOrder(() => this.#db.batch([put], { sync: true }));
	}

	/** Resolves once every write asked for so far is done (or failed). */
	async flushed(): Promise<void> {
		await this.#writes;
	}

	/**
	 * Every author's log as kept, for the engine to start from. A damaged
	 * record is dropped from the store, and so are an author's entries past a
	 * damaged or missing one (a log is only usable whole from 1): peers send
	 * them again. The engine checks the hash chain itself on loading.
	 */
	async readAll(): Promise<SignedLogsRead> {
		const logs = new Map<string, StoredLog>();
		const logOf = (hex: string): StoredLog => {
			let log = logs.get(hex);
			if (!log) {
				log = {
					author: authorFromHex(hex),
					first: 0,
					entries: [],
					signatures: new Map(),
					progress: { applied: 0, stopped: null }
				};
				logs.set(hex, log);
			}
			return log;
		};
		const drop: { sublevel: Sublevel; key: string }[] = [];
		let readError: string | undefined;
		const read = async (
			sublevel: Sublevel,
			take: (key: string, bytes: Uint8Array) => boolean
		): Promise<void> => {
			const iterator = sublevel.iterator();
			try {
				for (;;) {
					const records = await iterator.nextv(1000);
					if (records.length === 0) break;
					for (const [key, value] of records) {
						const framed = unframe(value);
						// A plain view, not Node's Buffer: the engine keeps and compares them as such.
						const bytes =
							framed && new Uint8Array(framed.buffer, framed.byteOffset, framed.byteLength);
						if (!bytes || !take(key, bytes)) drop.push({ sublevel, key });
					}
				}
			} catch (error) {
				readError ??= String(error);
			} finally {
				await iterator.close();
			}
		};
		// Keys sort by author, then seq: each author's entries come in order.
		await read(this.#log, (key, bytes) => {
			const parsed = parseSeqKey(key);
			if (!parsed) return false;
			const log = logOf(parsed[0]);
			// From 1, or from the checkpoint that replaced the entries before it.
			if (log.first === 0) log.first = parsed[1];
			if (parsed[1] !== log.first + log.entries.length) return false;
			log.entries.push(bytes);
			return true;
		});
		await read(this.#heads, (key, bytes) => {
			const parsed = parseSeqKey(key);
			if (!parsed || bytes.byteLength !== 64) return false;
			logOf(parsed[0]).signatures.set(parsed[1], bytes);
			return true;
		});
		await read(this.#progress, (key, bytes) => {
			const progress = AUTHOR_HEX.test(key) ? parseProgress(bytes) : null;
			if (!progress) return false;
			logOf(key).progress = progress;
			return true;
		});
		if (drop.length > 0 && !readError) {
			await this.#inOrder(() =>
				this.#db.batch(
					drop.map(({ sublevel, key }) => ({ type: 'del' as const, sublevel, key })),
					{ sync: true }
				)
			);
		}
		for (const log of logs.values()) if (log.first === 0) log.first = 1;
		return {
			// A log with nothing kept still counts when it was stopped: the stop stands.
			logs: [...logs.values()].filter((log) => log.entries.length > 0 || log.progress.stopped),
			dropped: drop.length,
			readError
		};
	}
}
