// What the relay holds of a space from before sync v2 (the Yjs updates of
// today's sync it kept, older disk logs moved in with them by legacy-log.ts)
// reaches the space the way a device's own old content does
// (docs/sync-protocol.md, "Migrating spaces made before v2"; on devices,
// SignedSync.openSpace): as a legacy import, the first entries of a
// signed log — here of a device key the relay makes for that space alone
// and keeps in its store, never sent. A relay may be the last holder of
// what a lost phone wrote.
//
// It imports once: the key, the entries and the record saying so are one
// atomic write (RelayStore.putLegacyImport), so a crash leaves all or none,
// and once there it never imports again. It never deletes or changes the
// old updates: what it imports is legacyContent's reading of them, mended
// where peers would refuse a change of a supply entry; content that cannot
// be mended (legacyContent says why) is only logged and left as it was, and
// so is content it could not read whole.
import * as Y from 'yjs';
import { splitUpdate } from '../src/lib/doc/split-update';
import { isWholeUpdate } from '../src/lib/doc/whole-update';
import { signedEpoch } from '../src/lib/sync/v2/client-id';
import {
	EntryKind,
	MAX_ENTRY_BODY_BYTES,
	NO_PREVIOUS,
	encodeEntry,
	hashEntry,
	type EntryHash
} from '../src/lib/sync/v2/entry';
import { generateDeviceKey, signHead, type DeviceKey } from '../src/lib/sync/v2/head';
import { legacyContent } from '../src/lib/sync/v2/legacy';
import type { OwnEntry, RelayStore, SpaceRecords } from './relay-store';

export type LegacyImportResult =
	/** Imported now: its author (hex) and how many entries. */
	| { status: 'imported'; author: string; entries: number }
	| { status: 'imported-before' }
	/** Nothing from before v2 is held. */
	| { status: 'nothing' }
	/** Kept on disk, not imported: it would be refused, or could not be read whole. */
	| { status: 'not-imported'; problem: string };

export interface LegacyImportOptions {
	/** Says what happened, prefixed by the space's label. */
	log: (line: string) => void;
	/** The largest entry body; tests make it small to cut an import into many entries. */
	maxBodyBytes?: number;
	/** The entries' time (ms); Date.now by default. */
	now?: () => number;
	/** Called right before the one write (the crash test kills the process there). */
	beforeWrite?: () => void;
}

/** What the old records add up to, applied to one doc. */
export interface OldContent {
	doc: Y.Doc;
	/** Records applied. */
	applied: number;
	/** Records left out: damaged bytes, or not a whole Yjs update. */
	unreadable: number;
}

/** Apply the old records that can be read to a fresh doc; never throws on their bytes. */
export function readOldContent(records: SpaceRecords): OldContent {
	const doc = new Y.Doc();
	let applied = 0;
	let unreadable = records.damaged.length;
	for (const { update } of records.updates) {
		let whole = isWholeUpdate(update);
		if (whole) {
			try {
				Y.applyUpdate(doc, update);
			} catch {
				whole = false;
			}
		}
		if (whole) applied += 1;
		else unreadable += 1;
	}
	return { doc, applied, unreadable };
}

/**
 * `bodies` as entries 1..n of `key`'s log, each with its signed head: the
 * hash chain and heads of LocalLog.appendAll, on the relay's side.
 */
export function signFirstEntries(
	key: DeviceKey,
	kind: EntryKind,
	bodies: readonly Uint8Array[],
	time: number
): OwnEntry[] {
	const epoch = signedEpoch(key.author, 1);
	let prev: EntryHash = NO_PREVIOUS;
	return bodies.map((body, index) => {
		const encoded = encodeEntry({ seq: index + 1, prev, kind, epoch, time, body });
		const head = signHead(key, index + 1, hashEntry(key.author, encoded));
		prev = head.hash;
		return { encoded, head };
	});
}

/** Import the space's old content into the relay's own log, unless it was, or cannot be. */
export async function importLegacyContent(
	store: RelayStore,
	spaceId: string,
	options: LegacyImportOptions
): Promise<LegacyImportResult> {
	const { log } = options;
	if (await store.legacyImported(spaceId)) return { status: 'imported-before' };
	const notImported = (problem: string): LegacyImportResult => {
		log(`kept its content from before signed changes on disk, not imported: ${problem}`);
		return { status: 'not-imported', problem };
	};
	const records = await store.space(spaceId).readAll();
	// Imported once only: what a read that stopped early left out would never come in.
	if (records.readError)
		return notImported(
			`the store stopped a read (${records.readError}); trying again at next start`
		);
	if (records.updates.length === 0 && records.damaged.length === 0) return { status: 'nothing' };
	const old = readOldContent(records);
	if (old.doc.store.clients.size === 0) {
		old.doc.destroy();
		return old.unreadable > 0
			? notImported(`none of its ${old.unreadable} records could be read`)
			: { status: 'nothing' };
	}
	const content = legacyContent(old.doc);
	old.doc.destroy();
	if (!content.ok) return notImported(`every peer would refuse it (${content.problem})`);
	const pieces = splitUpdate(content.update, options.maxBodyBytes ?? MAX_ENTRY_BODY_BYTES);
	if (!pieces) return notImported('one of its records is over a signed change’s size');
	const key = generateDeviceKey();
	const entries = signFirstEntries(
		key,
		EntryKind.legacyImport,
		pieces,
		(options.now ?? Date.now)()
	);
	options.beforeWrite?.();
	const record = await store.putLegacyImport(spaceId, key, entries);
	// Another import of this space (the same invite given twice) came first.
	if (!record) return { status: 'imported-before' };
	log(
		`imported its content from before signed changes (${old.applied} updates` +
			(old.unreadable > 0 ? `; ${old.unreadable} unreadable, left out` : '') +
			`) as ${entries.length} signed changes of its own, device ${record.author.slice(0, 8)}`
	);
	return { status: 'imported', author: record.author, entries: entries.length };
}
