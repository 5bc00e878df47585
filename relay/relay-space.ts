// One space held by the relay: a Y.Doc loaded from the relay's store, kept
// there as updates arrive (space-store.ts), and synced with y-webrtc over @roamhq/wrtc using
// the same derived room, password and chunked channels as the app. It is
// just another member: it never edits posts, it only keeps and passes on.
// Beside it runs the space's sync v2 half (signed-space.ts) on the same
// links, for devices that send v2 messages; for those y-webrtc's doc stays
// empty, so the relay writes its member record only once today's sync
// brought content.
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
import { SignedRelaySpace } from './signed-space';
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
	/** Sync v2's half: its own doc, built from signed logs only. */
	readonly signed: SignedRelaySpace;
	#store: SpaceStore;
	#watchdog: LinkWatchdog;
	#linked = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#log: (line: string) => void;
	#label: string;
	#stopProblems: () => void;
	#destroyed = false;

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
		const signed = await SignedRelaySpace.open(options.store.signedLogs(secrets.spaceId), {
			log: (line) => options.log(`${label}: ${line}`)
		});
		return new RelaySpace(options, secrets, doc, store, signed, label);
	}

	private constructor(
		options: RelaySpaceOptions,
		secrets: ReturnType<typeof deriveSpaceSecrets>,
		doc: Y.Doc,
		store: SpaceStore,
		signed: SignedRelaySpace,
		label: string
	) {
		this.spaceId = secrets.spaceId;
		this.#log = options.log;
		this.doc = doc;
		this.#store = store;
		this.signed = signed;
		this.#label = label;

		this.provider = createSpaceProvider(secrets, this.doc, {
			signaling: options.signaling,
			iceServers: [],
			wrtc: options.wrtc,
			signed: true,
			// It links to every device, as before: some are on today's sync.
			boundedMesh: false
		});
		this.signed.attach(this.provider);
		this.provider.awareness.setLocalState({ member: options.memberId });
		this.#joinAsMember(options.memberId);
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

	/**
	 * Write the relay's member record into today's doc once it holds content:
	 * written into an empty doc (a v2 space), y-webrtc would hand it to every
	 * v2 device's throwaway doc, and on from there.
	 */
	#joinAsMember(memberId: MemberId): void {
		const join = () =>
			upsertMember(this.doc, memberId, {
				name: `Relay on ${hostname()}`.slice(0, 60),
				color: colorFor(memberId),
				joinedAt: Date.now()
			});
		if (this.doc.store.clients.size > 0) return join();
		const onUpdate = () => {
			this.doc.off('update', onUpdate);
			// Not inside the update event: Yjs is still finishing that transaction.
			queueMicrotask(() => {
				if (!this.#destroyed) join();
			});
		};
		this.doc.on('update', onUpdate);
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
		this.#destroyed = true;
		clearInterval(this.#timer);
		await this.signed.close();
		this.#stopProblems();
		this.#watchdog.destroy();
		this.provider.disconnect();
		this.provider.destroy();
		await this.#store.close();
		this.doc.destroy();
	}
}
