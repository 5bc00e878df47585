// Keeps one space's Y.Doc in the relay's store: loads what is stored,
// writes each update the doc takes in, and compacts by size. It owns the
// policy; relay-store.ts owns the bytes.
// - Loading never trusts a record: each is checked (its frame's checksum,
//   then Y.decodeUpdate) before it is applied, so one bad record is listed
//   and dropped and the others still load.
// - Updates that arrive while a write is on its way go out together in the
//   next batch (each batch is flushed to disk: a crash loses no batch that
//   was reported stored).
// - When the records add up to more than twice the merged state (plus some
//   slack, so a small space is not compacted every few edits), one batch
//   writes the merged state and deletes the records it replaces.
// - A failed write is not forgotten: the doc still holds the update, so the
//   next attempt (after RETRY_MS) writes the whole merged state, and memory
//   and disk agree again.
import * as Y from 'yjs';
import { isWholeUpdate } from '../src/lib/doc/whole-update';
import type { UpdateLog } from './relay-store';

export const COMPACT_SLACK_BYTES = 64 * 1024;
export const RETRY_MS = 5000;

export interface LoadReport {
	/** Records applied to the doc. */
	loaded: number;
	/** Records dropped: damaged bytes, or not a Yjs update. */
	dropped: number;
	/** Set when LevelDB itself stopped the read early. */
	readError?: string;
}

export interface SpaceStoreOptions {
	origin: unknown;
	log: (line: string) => void;
	/** Extra slack before compacting; tests make it small. */
	compactSlackBytes?: number;
	/** How long to wait after a failed write; tests make it short. */
	retryMs?: number;
}

export class SpaceStore {
	readonly #records: UpdateLog;
	readonly #doc: Y.Doc;
	readonly #options: SpaceStoreOptions;
	#stored: number[] = [];
	#storedBytes = 0;
	#mergedBytes = 0;
	#nextSeq = 1;
	#queue: Uint8Array[] = [];
	#rewrite = false;
	#writing: Promise<void> | null = null;
	#retry: ReturnType<typeof setTimeout> | null = null;
	#closed = false;
	#onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this.#options.origin || this.#closed) return;
		this.#queue.push(update);
		this.#kick();
	};

	private constructor(records: UpdateLog, doc: Y.Doc, options: SpaceStoreOptions) {
		this.#records = records;
		this.#doc = doc;
		this.#options = options;
	}

	/** Load the stored records into `doc`, then keep storing what it takes in. */
	static async attach(
		records: UpdateLog,
		doc: Y.Doc,
		options: SpaceStoreOptions
	): Promise<{ store: SpaceStore; report: LoadReport }> {
		const store = new SpaceStore(records, doc, options);
		const report = await store.#load();
		doc.on('update', store.#onUpdate);
		if (store.#isDueForCompaction()) {
			store.#rewrite = true;
			store.#kick();
		}
		return { store, report };
	}

	async #load(): Promise<LoadReport> {
		const { updates, damaged, readError } = await this.#records.readAll();
		const bad = [...damaged];
		for (const { seq, update } of updates) {
			let applied = isWholeUpdate(update);
			if (applied) {
				try {
					Y.applyUpdate(this.#doc, update, this.#options.origin);
				} catch {
					applied = false;
				}
			}
			if (applied) {
				this.#stored.push(seq);
				this.#storedBytes += update.byteLength;
			} else {
				bad.push(seq);
			}
		}
		for (const seq of [...this.#stored, ...bad]) this.#nextSeq = Math.max(this.#nextSeq, seq + 1);
		if (readError) {
			// Reading stopped early: records past the failure are still on disk.
			// New writes go after the last key, never over a record not read.
			const last = await this.#records.lastSeq().catch(() => Number.NaN);
			if (Number.isFinite(last)) this.#nextSeq = Math.max(this.#nextSeq, last + 1);
			// Not even the last key could be read: a number past any honest seq (16 digits).
			else this.#nextSeq = Math.max(this.#nextSeq, Date.now() * 1000);
		}
		this.#mergedBytes = Y.encodeStateAsUpdate(this.#doc).byteLength;
		if (bad.length > 0) {
			// Dropped for good: kept, they would be read and refused on every start.
			await this.#records.remove(bad).catch((error: unknown) => {
				this.#options.log(`could not drop unreadable records (${String(error)})`);
			});
		}
		return { loaded: this.#stored.length, dropped: bad.length, readError };
	}

	get storedRecords(): number {
		return this.#stored.length;
	}
	get storedBytes(): number {
		return this.#storedBytes;
	}

	#isDueForCompaction(): boolean {
		const slack = this.#options.compactSlackBytes ?? COMPACT_SLACK_BYTES;
		return this.#stored.length > 1 && this.#storedBytes > 2 * this.#mergedBytes + slack;
	}

	#kick(): void {
		if (this.#writing || this.#retry || this.#closed) return;
		this.#writing = this.#drain().finally(() => {
			this.#writing = null;
		});
	}

	async #drain(): Promise<void> {
		while (!this.#closed && (this.#queue.length > 0 || this.#rewrite)) {
			try {
				if (this.#rewrite || this.#isDueForCompaction()) await this.#compact();
				else await this.#appendQueued();
			} catch (error) {
				const retryMs = this.#options.retryMs ?? RETRY_MS;
				this.#options.log(
					`could not write to the store (${String(error)}); trying again in ${retryMs / 1000} s`
				);
				// The doc holds everything: the retry writes it whole.
				this.#queue = [];
				this.#rewrite = true;
				this.#retry = setTimeout(() => {
					this.#retry = null;
					this.#kick();
				}, retryMs);
				return;
			}
		}
	}

	async #appendQueued(): Promise<void> {
		const batch = this.#queue.splice(0).map((update) => ({ seq: this.#nextSeq++, update }));
		await this.#records.append(batch);
		for (const { seq, update } of batch) {
			this.#stored.push(seq);
			this.#storedBytes += update.byteLength;
		}
	}

	async #compact(): Promise<void> {
		// The doc already holds every queued update: the merged state covers them.
		this.#queue = [];
		this.#rewrite = false;
		const merged = { seq: this.#nextSeq++, update: Y.encodeStateAsUpdate(this.#doc) };
		await this.#records.replace([...this.#stored], merged);
		this.#stored = [merged.seq];
		this.#storedBytes = merged.update.byteLength;
		this.#mergedBytes = merged.update.byteLength;
	}

	/** Resolves once every update taken in so far is on disk (or a write has failed). */
	async flushed(): Promise<void> {
		while (this.#writing) await this.#writing;
	}

	/** Stop listening, and write what is still waiting (one last try after a failure). */
	async close(): Promise<void> {
		this.#doc.off('update', this.#onUpdate);
		if (this.#retry) {
			clearTimeout(this.#retry);
			this.#retry = null;
			this.#kick();
		}
		await this.flushed();
		this.#closed = true;
		if (this.#retry) clearTimeout(this.#retry);
	}
}
