// Sync protocol v2 for one open space (docs/sync-protocol.md): the device's
// log database, the doc writing under this tab's derived client id, the
// batcher turning local changes into signed entries, and the engine that
// verifies, judges and exchanges entries over whatever links the session
// gives it. Opened after the doc has loaded from IndexedDB, closed with the
// session. It never touches a transport: links come from mesh-links.ts (and
// later pairing, tabs, bundles and the relay).
import type * as Y from 'yjs';
import type { SpaceId } from '../../domain/ids';
import { EntryBatcher } from './batcher';
import { SyncEngine, type EngineEvent, type Link } from './engine';
import { LocalLog, type LocalLogOptions } from './log-store';

export interface SignedSyncOptions extends LocalLogOptions {
	onEvent?: (event: EngineEvent) => void;
	/** How often the engine ticks (stalled asks, held entries, anti-entropy). */
	tickMs?: number;
}

export class SignedSync {
	readonly engine: SyncEngine;
	readonly log: LocalLog;
	readonly #batcher: EntryBatcher;
	readonly #timer: ReturnType<typeof setInterval>;
	#closed = false;

	private constructor(doc: Y.Doc, log: LocalLog, options: SignedSyncOptions) {
		this.log = log;
		this.engine = new SyncEngine(doc, { store: log, onEvent: options.onEvent });
		this.#batcher = new EntryBatcher(doc, log, {
			onAppended: (encoded, head) => this.engine.addOwn(encoded, head)
		});
		this.#timer = setInterval(() => this.engine.tick(), options.tickMs ?? 20_000);
	}

	/**
	 * Start v2 on `doc`, which holds what IndexedDB kept of the space: from
	 * here on it writes under this tab's own derived client id.
	 */
	static async open(
		spaceId: SpaceId,
		doc: Y.Doc,
		options: SignedSyncOptions = {}
	): Promise<SignedSync> {
		const log = await LocalLog.open(spaceId, options);
		// A new epoch's id has never written anything, so Yjs keeps it.
		doc.clientID = log.clientId;
		const sync = new SignedSync(doc, log, options);
		sync.engine.load(await log.loadAll());
		return sync;
	}

	addLink(link: Link): void {
		this.engine.addLink(link);
	}

	removeLink(id: string): void {
		this.engine.removeLink(id);
	}

	receive(linkId: string, bytes: Uint8Array): void {
		this.engine.receive(linkId, bytes);
	}

	/** Write what is pending and close the log database. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#batcher.destroy();
		await this.engine.whenSaved();
		this.log.close();
	}
}
