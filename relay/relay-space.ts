// One space held by the relay: its sync v2 half (signed-space.ts), the same
// engine every device runs, kept in the relay's store, on links made by
// y-webrtc over @roamhq/wrtc with the same derived room, password and
// chunked channels as the app. As in the app's session, y-webrtc carries a
// throwaway doc: the space crosses the links only as signed log entries.
// The relay is just another peer: it never edits the space. What it held
// from before v2 goes in once, as a legacy import of its own
// (legacy-import.ts), before the engine starts.
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { WrtcImplementation } from '../src/lib/sync/chunked-wrtc';
import type { Invite } from '../src/lib/sync/invite';
import { deriveSpaceSecrets } from '../src/lib/sync/keys';
import { LinkWatchdog, type WatchedProvider } from '../src/lib/sync/link-watchdog';
import type { LinkProblem } from '../src/lib/sync/link-problem';
import { createSpaceProvider, onMeshProblem } from '../src/lib/sync/provider';
import { importLegacyContent } from './legacy-import';
import type { RelayStore } from './relay-store';
import { SignedRelaySpace } from './signed-space';

/** What a member's device sent that the relay refused, for its log (the relay speaks English). */
const PROBLEMS: Record<LinkProblem['kind'], string> = {
	connection: 'the connection failed',
	'unreadable-message': 'a message that could not be read',
	'broken-update': 'an update that was not whole (none of it was kept)',
	'message-expired': 'an unfinished message, thrown away to make room',
	'over-budget': 'more unfinished data than this relay keeps for one link',
	'refused-entries': 'log entries that did not verify (none of them was kept)'
};

export interface RelaySpaceOptions {
	invite: Invite;
	store: RelayStore;
	signaling: string[];
	wrtc: WrtcImplementation;
	log: (line: string) => void;
}

export class RelaySpace {
	readonly spaceId: string;
	readonly provider: WebrtcProvider;
	/** The space: its own doc, built from signed logs only. */
	readonly signed: SignedRelaySpace;
	#watchdog: LinkWatchdog;
	#linked = new Set<string>();
	#timer: ReturnType<typeof setInterval>;
	#log: (line: string) => void;
	#label: string;
	#stopProblems: () => void;

	/** Import what is left from before v2 (once), load the signed logs, then join the room. */
	static async open(options: RelaySpaceOptions): Promise<RelaySpace> {
		const secrets = deriveSpaceSecrets(options.invite.key);
		const label = `${options.invite.name || 'space'} (${secrets.spaceId})`;
		const log = (line: string) => options.log(`${label}: ${line}`);
		await importLegacyContent(options.store, secrets.spaceId, { log });
		const signed = await SignedRelaySpace.open(options.store.signedLogs(secrets.spaceId), { log });
		return new RelaySpace(options, secrets, signed, label);
	}

	private constructor(
		options: RelaySpaceOptions,
		secrets: ReturnType<typeof deriveSpaceSecrets>,
		signed: SignedRelaySpace,
		label: string
	) {
		this.spaceId = secrets.spaceId;
		this.#log = options.log;
		this.signed = signed;
		this.#label = label;

		this.provider = createSpaceProvider(secrets, new Y.Doc(), {
			signaling: options.signaling,
			iceServers: [],
			wrtc: options.wrtc,
			signed: true,
			// Every device that finds it links to it, not a bounded few: it is
			// where devices that are never online together meet.
			boundedMesh: false,
			// Presence goes on the engine's links (signed-space.ts), as on devices.
			signedPresence: true
		});
		this.signed.attach(this.provider);
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
		await this.signed.close();
		this.#stopProblems();
		this.#watchdog.destroy();
		const throwaway = this.provider.doc;
		this.provider.disconnect();
		this.provider.destroy();
		throwaway.destroy();
	}
}
