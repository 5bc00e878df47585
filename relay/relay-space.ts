// One space held by the relay: a Y.Doc loaded from the relay's store, kept
// there as updates arrive (space-store.ts), and synced with y-webrtc over @roamhq/wrtc using
// the same derived room, password and chunked channels as the app. It is
// just another member: it never edits posts, it only keeps and passes on.
import { hostname } from 'node:os';
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
import type { LinkProblem } from '../src/lib/sync/link-problem';
import { createSpaceProvider, onMeshProblem } from '../src/lib/sync/provider';
import type { RelayStore } from './relay-store';
import { SpaceStore } from './space-store';

const RELAY_ORIGIN = ORIGINS.relayDisk;

/** What a member's device sent that the relay refused, for its log (the relay speaks English). */
const PROBLEMS: Record<LinkProblem['kind'], string> = {
	connection: 'the connection failed',
	'unreadable-message': 'a message that could not be read',
	'broken-update': 'an update that was not whole (none of it was kept)',
	'message-expired': 'an unfinished message, thrown away to make room',
	'over-budget': 'more unfinished data than this relay keeps for one link'
};

export interface RelaySpaceOptions {
	invite: Invite;
	store: RelayStore;
	signaling: string[];
	memberId: MemberId;
	wrtc: WrtcImplementation;
	log: (line: string) => void;
}

export class RelaySpace {
	readonly spaceId: string;
	readonly doc: Y.Doc;
	readonly provider: WebrtcProvider;
	#store: SpaceStore;
	#watchdog: LinkWatchdog;
	#linked = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#log: (line: string) => void;
	#label: string;
	#stopProblems: () => void;

	/** Load the space from the store, then join its room. */
	static async open(options: RelaySpaceOptions): Promise<RelaySpace> {
		const secrets = deriveSpaceSecrets(options.invite.key);
		const doc = new Y.Doc();
		const { store, report } = await SpaceStore.attach(options.store.space(secrets.spaceId), doc, {
			origin: RELAY_ORIGIN,
			log: (line) => options.log(`${secrets.spaceId}: ${line}`)
		});
		const name = readMeta(doc)?.name ?? options.invite.name;
		const label = `${name || 'space'} (${secrets.spaceId})`;
		if (report.readError) options.log(`${label}: the store stopped a read (${report.readError})`);
		if (report.dropped > 0) {
			options.log(
				`${label}: dropped ${report.dropped} unreadable records from the store; peers will send them again`
			);
		}
		options.log(`${label}: loaded ${report.loaded} updates from disk`);
		return new RelaySpace(options, secrets, doc, store, label);
	}

	private constructor(
		options: RelaySpaceOptions,
		secrets: ReturnType<typeof deriveSpaceSecrets>,
		doc: Y.Doc,
		store: SpaceStore,
		label: string
	) {
		this.spaceId = secrets.spaceId;
		this.#log = options.log;
		this.doc = doc;
		this.#store = store;
		this.#label = label;

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
		this.#stopProblems = onMeshProblem(this.provider, ({ problem, closedLink }) => {
			this.#log(
				`${this.#label}: refused a message from a member’s device: ${PROBLEMS[problem.kind]}` +
					(closedLink ? '; link closed' : '')
			);
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

	/** Leave the room and write what is still waiting to the store. */
	async destroy(): Promise<void> {
		clearInterval(this.#timer);
		this.#stopProblems();
		this.#watchdog.destroy();
		this.provider.disconnect();
		this.provider.destroy();
		await this.#store.close();
		this.doc.destroy();
	}
}
