// One space held by the relay: a Y.Doc loaded from its disk log, kept on
// disk as updates arrive, and synced with y-webrtc over @roamhq/wrtc using
// the same derived room, password and chunked channels as the app. It is
// just another member: it never edits posts, it only keeps and passes on.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { ORIGINS } from '../src/lib/doc/roots';
import { readMeta, upsertMember } from '../src/lib/doc/space-doc';
import type { MemberId } from '../src/lib/domain/ids';
import { colorFor } from '../src/lib/domain/space';
import type { WrtcImplementation } from '../src/lib/sync/chunked-wrtc';
import type { Invite } from '../src/lib/sync/invite';
import { deriveSpaceSecrets } from '../src/lib/sync/keys';
import { LinkWatchdog, type WatchedProvider } from '../src/lib/sync/link-watchdog';
import { createSpaceProvider } from '../src/lib/sync/provider';
import { DiskLog } from './disk-log';

/** Compact the log when it holds this many records. */
const COMPACT_AFTER_RECORDS = 500;
const RELAY_ORIGIN = ORIGINS.relayDisk;

export interface RelaySpaceOptions {
	invite: Invite;
	dataDir: string;
	signaling: string[];
	memberId: MemberId;
	wrtc: WrtcImplementation;
	log: (line: string) => void;
}

export class RelaySpace {
	readonly spaceId: string;
	readonly doc: Y.Doc;
	readonly provider: WebrtcProvider;
	#disk: DiskLog;
	#watchdog: LinkWatchdog;
	#linked = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#log: (line: string) => void;
	#label: string;

	constructor(options: RelaySpaceOptions) {
		const secrets = deriveSpaceSecrets(options.invite.key);
		this.spaceId = secrets.spaceId;
		this.#log = options.log;
		this.doc = new Y.Doc();

		mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
		const { log: disk, contents } = DiskLog.open(join(options.dataDir, `${secrets.spaceId}.ylog`));
		this.#disk = disk;
		Y.transact(
			this.doc,
			() => {
				for (const update of contents.updates) Y.applyUpdate(this.doc, update);
			},
			RELAY_ORIGIN
		);
		const name = readMeta(this.doc)?.name ?? options.invite.name;
		this.#label = `${name || 'space'} (${secrets.spaceId})`;
		if (contents.discardedBytes > 0) {
			this.#log(
				`${this.#label}: cut ${contents.discardedBytes} torn bytes from the end of its log`
			);
		}
		this.#log(`${this.#label}: loaded ${contents.updates.length} updates from disk`);

		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === RELAY_ORIGIN) return;
			this.#disk.append(update);
			if (this.#disk.records >= COMPACT_AFTER_RECORDS) {
				this.#disk.compact(Y.encodeStateAsUpdate(this.doc));
			}
		});

		this.provider = createSpaceProvider(secrets, this.doc, {
			signaling: options.signaling,
			iceServers: [],
			wrtc: options.wrtc
		});
		this.provider.awareness.setLocalState({ member: options.memberId });
		upsertMember(this.doc, options.memberId, {
			name: `Relay on ${hostname()}`.slice(0, 60),
			color: colorFor(options.memberId),
			joinedAt: Date.now()
		});
		this.provider.on('synced', ({ synced }: { synced: boolean }) => {
			if (synced) this.#log(`${this.#label}: synced with all linked peers`);
		});
		this.#watchdog = new LinkWatchdog(this.provider as unknown as WatchedProvider);
		this.#timer = setInterval(() => this.#reportPeers(), 1000);
	}

	#reportPeers(): void {
		const room = this.provider.room;
		const now = new Set<string>();
		room?.webrtcConns.forEach((conn, peerId) => {
			if (conn.connected) now.add(peerId);
		});
		for (const peer of now) {
			if (!this.#linked.has(peer)) this.#log(`${this.#label}: peer joined (${now.size} linked)`);
		}
		for (const peer of this.#linked) {
			if (!now.has(peer)) this.#log(`${this.#label}: peer left (${now.size} linked)`);
		}
		this.#linked = now;
	}

	get linkedPeers(): number {
		return this.#linked.size;
	}

	destroy(): void {
		clearInterval(this.#timer);
		this.#watchdog.destroy();
		this.provider.disconnect();
		this.provider.destroy();
		this.#disk.close();
		this.doc.destroy();
	}
}
