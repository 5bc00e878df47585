// A space's state on the relay's disk: an append-only log of Yjs updates.
// Each record is [length u32][crc32 u32][bytes]; every append is flushed
// before the next, so a crash mid-write leaves at most one torn record at the
// end. On open, reading stops at the first torn or corrupt record and the
// file is cut back to the last good one: a crash loses at most the last
// update, never the file. Compaction writes the whole state to a temporary
// file, flushes it and renames it over the log (atomic on POSIX).
import {
	closeSync,
	existsSync,
	fdatasyncSync,
	fsyncSync,
	ftruncateSync,
	openSync,
	readFileSync,
	renameSync,
	writeSync
} from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;

function encodeRecord(update: Uint8Array): Uint8Array {
	const record = new Uint8Array(HEADER + update.byteLength);
	const view = new DataView(record.buffer);
	view.setUint32(0, update.byteLength);
	view.setUint32(4, crc32(update));
	record.set(update, HEADER);
	return record;
}

export interface LogContents {
	updates: Uint8Array[];
	/** Bytes cut from the end because they were torn or corrupt. */
	discardedBytes: number;
}

/** Read every intact record; report how much of the tail was unusable. */
export function readLog(bytes: Uint8Array): LogContents & { goodLength: number } {
	const updates: Uint8Array[] = [];
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let offset = 0;
	while (offset + HEADER <= bytes.byteLength) {
		const length = view.getUint32(offset);
		const checksum = view.getUint32(offset + 4);
		const end = offset + HEADER + length;
		if (end > bytes.byteLength) break;
		const update = bytes.subarray(offset + HEADER, end);
		if (crc32(update) !== checksum) break;
		updates.push(update.slice());
		offset = end;
	}
	return { updates, goodLength: offset, discardedBytes: bytes.byteLength - offset };
}

export class DiskLog {
	readonly path: string;
	#fd: number;
	#records = 0;
	#bytes = 0;

	private constructor(path: string, fd: number, records: number, bytes: number) {
		this.path = path;
		this.#fd = fd;
		this.#records = records;
		this.#bytes = bytes;
	}

	/** Open (or create) a log; returns the updates it holds. */
	static open(path: string): { log: DiskLog; contents: LogContents } {
		const existing = existsSync(path) ? readFileSync(path) : new Uint8Array();
		const { updates, goodLength, discardedBytes } = readLog(existing);
		const fd = openSync(path, existsSync(path) ? 'r+' : 'w+', 0o600);
		if (discardedBytes > 0) {
			ftruncateSync(fd, goodLength);
			fsyncSync(fd);
		}
		return {
			log: new DiskLog(path, fd, updates.length, goodLength),
			contents: { updates, discardedBytes }
		};
	}

	get records(): number {
		return this.#records;
	}
	get bytes(): number {
		return this.#bytes;
	}

	append(update: Uint8Array): void {
		const record = encodeRecord(update);
		let written = 0;
		while (written < record.byteLength) {
			written += writeSync(
				this.#fd,
				record,
				written,
				record.byteLength - written,
				this.#bytes + written
			);
		}
		fdatasyncSync(this.#fd);
		this.#records += 1;
		this.#bytes += record.byteLength;
	}

	/** Replace the log with one record holding the whole state. */
	compact(state: Uint8Array): void {
		const temporary = `${this.path}.compact.tmp`;
		const fd = openSync(temporary, 'w', 0o600);
		const record = encodeRecord(state);
		let written = 0;
		while (written < record.byteLength) {
			written += writeSync(fd, record, written, record.byteLength - written, written);
		}
		fsyncSync(fd);
		closeSync(fd);
		renameSync(temporary, this.path);
		closeSync(this.#fd);
		this.#fd = openSync(this.path, 'r+');
		this.#records = 1;
		this.#bytes = record.byteLength;
	}

	close(): void {
		closeSync(this.#fd);
	}
}
