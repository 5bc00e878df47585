// Imports the disk logs of relays before the LevelDB store
// (`<data>/<spaceId>.ylog`: records of [length u32][crc32 u32][bytes]) once,
// so upgrading a relay loses nothing. It only reads old files, and renames
// each to `<name>.imported` once its records are in the store; it never
// deletes them (the organizer can, once the relay runs well).
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { RelayStore } from './relay-store';

const HEADER = 8;
/** A space id: 12 bytes in base64url. */
const LOG_NAME = /^([A-Za-z0-9_-]{16})\.ylog$/;

export interface LegacyLogContents {
	updates: Uint8Array[];
	/** Bytes after the last intact record (torn by a crash, or damaged). */
	discardedBytes: number;
}

/** The intact records of an old log, up to the first torn or damaged one. */
export function readLegacyLog(bytes: Uint8Array): LegacyLogContents {
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
	return { updates, discardedBytes: bytes.byteLength - offset };
}

/** Import every old log in `dataDir` not imported yet; returns how many were imported. */
export async function importLegacyLogs(
	dataDir: string,
	store: RelayStore,
	log: (line: string) => void
): Promise<number> {
	let imported = 0;
	for (const name of readdirSync(dataDir)) {
		const spaceId = LOG_NAME.exec(name)?.[1];
		if (!spaceId) continue;
		const path = join(dataDir, name);
		try {
			// A crash between the import and the rename: the store says it is done.
			if (!(await store.isImported(name))) {
				const { updates, discardedBytes } = readLegacyLog(readFileSync(path));
				await store.importLog(spaceId, updates, name);
				log(
					`imported ${updates.length} updates of ${spaceId} from the old log ${name}` +
						(discardedBytes > 0 ? ` (${discardedBytes} bytes at its end were unreadable)` : '')
				);
				imported += 1;
			}
			renameSync(path, `${path}.imported`);
		} catch (error) {
			log(`could not import the old log ${name} (${String(error)}); it is left as it was`);
		}
	}
	return imported;
}
