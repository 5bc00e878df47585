// The relay's half of sync protocol v2 for one space (docs/sync-protocol.md,
// "As built: slice 5"): the same SyncEngine every device runs, on a doc of
// its own, keeping what it is given in the relay's LevelDB store
// (relay-store.ts, SignedLogs), over the same mesh links (mesh-links.ts).
// It verifies and judges every entry like any peer, keeps the refused ones
// (so a device that later joins from the relay alone refuses them at the
// same seq), and serves ranges to whoever asks. It never writes into the
// space: the only entries of its own are those of a legacy import, made
// before it starts (legacy-import.ts) and loaded from the store like any
// log, under a key made for that alone.
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import {
	SyncEngine,
	type AuthorRefusal,
	type EngineEvent,
	type EngineOptions,
	type Link
} from '../src/lib/sync/v2/engine';
import { authorKey, type AuthorId, type EntryHash } from '../src/lib/sync/v2/entry';
import { MeshLinks } from '../src/lib/sync/v2/mesh-links';
import { MeshPresence } from '../src/lib/sync/v2/presence';
import { Awareness } from 'y-protocols/awareness';
import { hostname } from 'node:os';
import type { SignedLogs, SignedLogsRead } from './relay-store';

/** Why a device's change was refused, for the relay's log (the relay speaks English). */
const REFUSALS: Record<AuthorRefusal, string> = {
	unreadable: 'it could not be read',
	'other-writer': 'it wrote under another device’s id',
	'fact-changed': 'it tried to change a supply entry',
	'fact-deleted': 'it tried to delete a supply entry',
	'unsupported-kind': 'it is a kind of change this relay does not take yet',
	fork: 'the device signed two different histories',
	'legacy-forged': 'it brought "old" content that reaches into signed records',
	'bad-checkpoint': 'it replaced its earlier changes with a summary that does not match them'
};

/** How often the engine re-asks stalled ranges and probes a link (as on devices). */
const TICK_MS = 20_000;

export interface SignedRelaySpaceOptions {
	/** Says what happened, prefixed by the space's label. */
	log: (line: string) => void;
	tickMs?: number;
	/** The name devices show it by (the machine's host name by default). */
	host?: string;
	/** Tests run the engine on their own clock and task queue. */
	engine?: Pick<EngineOptions, 'now' | 'schedule'>;
}

function deviceName(author: AuthorId): string {
	return `device ${authorKey(author).slice(0, 8)}`;
}

export class SignedRelaySpace {
	/** The space as the accepted entries make it: never edited by the relay itself. */
	readonly doc = new Y.Doc();
	readonly engine: SyncEngine;
	readonly #records: SignedLogs;
	readonly #log: (line: string) => void;
	readonly #timer: ReturnType<typeof setInterval>;
	/**
	 * What the mesh links feed: v2 devices' presence is passed on like any
	 * device passes it (a hop, so devices that meet only here see each
	 * other), through an awareness of its own, as on devices. Its own state
	 * names its host, not a member (a member record would need a signed
	 * edit, and it makes none): devices show "Relay on <host>" among the
	 * people here. Everything else goes to the engine.
	 */
	readonly links: MeshPresence;
	readonly #awareness = new Awareness(this.doc);
	#mesh: MeshLinks | null = null;
	#closed = false;

	/** Start from what the store keeps, and say what was loaded. */
	static async open(
		records: SignedLogs,
		options: SignedRelaySpaceOptions
	): Promise<SignedRelaySpace> {
		const read = await records.readAll();
		const space = new SignedRelaySpace(records, options);
		space.#load(read);
		return space;
	}

	private constructor(records: SignedLogs, options: SignedRelaySpaceOptions) {
		this.#records = records;
		this.#log = options.log;
		this.engine = new SyncEngine(this.doc, {
			...options.engine,
			store: records,
			onEvent: (event) => this.#onEvent(event)
		});
		this.#timer = setInterval(() => this.engine.tick(), options.tickMs ?? TICK_MS);
		this.#awareness.setLocalState({ relay: (options.host ?? hostname()).slice(0, 60) });
		this.links = new MeshPresence(this.#awareness, this);
	}

	#load(read: SignedLogsRead): void {
		if (read.readError) this.#log(`the store stopped a read of signed changes (${read.readError})`);
		if (read.dropped > 0)
			this.#log(
				`dropped ${read.dropped} unreadable records of signed changes from the store; peers will send them again`
			);
		this.engine.load(read.logs);
		const entries = this.engine.vector().reduce((sum, tip) => sum + tip.length, 0);
		if (read.logs.length > 0)
			this.#log(`loaded ${entries} signed changes of ${read.logs.length} devices from disk`);
		for (const stop of this.engine.stops())
			this.#log(
				`${deviceName(stop.author)}'s changes stay refused from change ${stop.seq} (${stop.reason})`
			);
	}

	#onEvent(event: EngineEvent): void {
		switch (event.type) {
			case 'refused':
				return this.#log(
					`refused change ${event.seq} of ${deviceName(event.author)}: ${REFUSALS[event.reason]} (${event.reason}); ` +
						'nothing more of that device is applied here'
				);
			case 'fork':
				return this.#log(
					`refused ${deviceName(event.author)} from change ${event.seq}: ${REFUSALS.fork} (fork); ` +
						'the proof goes on to every link'
				);
			case 'misbehaved':
				return this.#log(`refused a message from a member’s device: ${event.detail}`);
			case 'not-saved':
				return this.#log(
					`could not keep signed changes on disk (${event.detail}); peers will send them again`
				);
			case 'accepted':
				return;
		}
	}

	/** Run over y-webrtc's links of `provider` (made with `signed`, so its channels divert v2). */
	attach(provider: WebrtcProvider): void {
		this.#mesh = new MeshLinks(provider, this.links);
	}

	addLink(link: Link): void {
		if (!this.#closed) this.engine.addLink(link);
	}

	removeLink(id: string): void {
		this.engine.removeLink(id);
	}

	connecting(count: number): void {
		this.engine.connecting(count);
	}

	receive(linkId: string, bytes: Uint8Array, hashes?: EntryHash[]): void {
		this.engine.receive(linkId, bytes, hashes);
	}

	linkProblem(_linkId: string, detail: string): void {
		this.#log(`refused a message from a member’s device: ${detail}`);
	}

	/** Stop linking and write what is still waiting. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		this.#mesh?.destroy();
		this.links.destroy();
		this.#awareness.destroy();
		await this.engine.whenSaved();
		await this.#records.flushed();
		this.doc.destroy();
	}
}
