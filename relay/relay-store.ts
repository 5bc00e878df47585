// The relay's store on disk: one LevelDB database (classic-level) per data
// folder, in <data>/store. LevelDB does what the old hand-written log did
// badly: atomic batches, a write-ahead log that recovers after a crash, a
// LOCK file so only one relay uses a folder, no limit on a space's size.
// This module owns the layout and the framing of values; it knows nothing
// of Yjs (space-store.ts decides what to write) and never deletes a record
// unless told to.
//
// Layout (keys are UTF-8 and sort bytewise; sublevels prefix them as `!name!`):
//   space/<spaceId>/updates/<seq>   a Yjs update; seq is 16 decimal digits,
//                                   so keys sort in the order they were written
//   meta/imported:<file name>       an old disk-log file already imported
// Sync protocol v2 (docs/sync-protocol.md, #14) adds beside `updates`, per
// space: `log` (`<author>|<seq>` → signed entry) and `heads` (`<author>` →
// signed head), each read by its own prefix like `updates`.
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

/** One space's records in the store. */
export class SpaceLog {
	readonly #db: Database;
	readonly #updates;

	constructor(db: Database, spaceId: string) {
		this.#db = db;
		this.#updates = updatesOf(db, spaceId);
	}

	/** One atomic batch, flushed to disk before it resolves. */
	async #write(operations: { key: string; value?: Uint8Array }[]): Promise<void> {
		const sublevel = this.#updates;
		await this.#db.batch(
			operations.map(({ key, value }) =>
				value
					? { type: 'put' as const, sublevel, key, value }
					: { type: 'del' as const, sublevel, key }
			),
			{ sync: true }
		);
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

	/** Add records in one atomic batch. */
	async append(updates: StoredUpdate[]): Promise<void> {
		await this.#write(
			updates.map(({ seq, update }) => ({ key: seqKey(seq), value: frame(update) }))
		);
	}

	/** Write `merged` and delete `replaced` in one atomic batch. */
	async replace(replaced: number[], merged: StoredUpdate): Promise<void> {
		await this.#write([
			...replaced.map((seq) => ({ key: seqKey(seq) })),
			{ key: seqKey(merged.seq), value: frame(merged.update) }
		]);
	}

	async remove(seqs: number[]): Promise<void> {
		await this.#write(seqs.map((seq) => ({ key: seqKey(seq) })));
	}

	/** The highest sequence number stored, or 0. */
	async lastSeq(): Promise<number> {
		const [last] = await this.#updates.keys({ reverse: true, limit: 1 }).all();
		return last === undefined ? 0 : Number(last);
	}
}

/** What space-store.ts needs of a space's records (tests stand in for it). */
export type UpdateLog = Pick<SpaceLog, 'readAll' | 'append' | 'replace' | 'remove' | 'lastSeq'>;

export class RelayStore {
	readonly location: string;
	readonly #db: Database;
	readonly #meta;

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
