// A space's session: one Y.Doc, its IndexedDB persistence and its WebRTC
// transport, opened together and destroyed together. No UI here.
//
// Transport rules: signaling only through the servers we are given (the
// app's own origin plus any from settings or the invite) - never y-webrtc's
// public defaults - and no STUN/TURN unless the user configured some.
import { IndexeddbPersistence } from 'y-indexeddb';
import { QuietUpdates } from '../doc/quiet-updates';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { MemberId, SpaceId } from '../domain/ids';
import type { WrtcImplementation } from './chunked-wrtc';
import { deriveSpaceSecrets, type SpaceSecrets } from './keys';
import { LinkWatchdog, type WatchedProvider } from './link-watchdog';
import { createSpaceProvider } from './provider';
import { SaveTracker } from './save-tracker';
import { registerCloser } from '../device/wipe';
import { ensureSubtleCrypto } from './webcrypto-shim';
import { MeshLinks } from './v2/mesh-links';
import { MeshPresence } from './v2/presence';
import { OldContentError, SignedSync } from './v2/signed-sync';
import { databaseName, rebuildDoc } from './space-database';
import { ownBytes } from './own-bytes';

export interface SessionOptions {
	signaling: string[];
	iceServers: RTCIceServer[];
	memberId: MemberId;
	/** Defaults to the browser's WebRTC; the relay and Node tests pass @roamhq/wrtc. */
	wrtc?: WrtcImplementation;
}

/** y-webrtc refuses a second provider for a room until the first is fully gone (#47). */
const closing = new Map<string, Promise<void>>();

/**
 * Run `task` while no other tab of this browser runs one under `name`
 * (Web Locks, where the browser has them: secure contexts). Opening a space
 * takes it, so that a tab cannot load a space's old doc while another
 * rebuilds and migrates it, and then open what it loaded unmended.
 */
function oneTabAtATime<T>(name: string, task: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	return locks ? (locks.request(name, task) as Promise<T>) : task();
}

/**
 * A space's doc from IndexedDB with its signed sync started (a space from
 * before it migrated), one tab at a time.
 */
export function loadSpace(spaceId: SpaceId) {
	return oneTabAtATime(`barnraise-open-${spaceId}`, () => loadAndMigrate(spaceId));
}

/**
 * Load the space and start its signed sync, migrating a space from before
 * it; when mending its old content changes what it shows, rebuild its doc
 * from the mended content first, and load that.
 */
async function loadAndMigrate(spaceId: SpaceId) {
	const opened = await load(spaceId);
	if (!('rebuild' in opened)) return { ...opened, repaired: 0 };
	await rebuildDoc(spaceId, opened.rebuild);
	console.warn(`Moving this space to signed sync changed ${opened.repaired} of its records`);
	const again = await load(spaceId);
	// legacyContent checked that the rebuilt doc needs nothing more.
	if ('rebuild' in again) throw new OldContentError('mending it did not settle it');
	return { ...again, repaired: opened.repaired };
}

/** The space's doc from IndexedDB and its signed sync; or what the doc must first be rebuilt from. */
async function load(
	spaceId: SpaceId
): Promise<
	| { doc: Y.Doc; persistence: IndexeddbPersistence; quiet: QuietUpdates; signed: SignedSync }
	| { rebuild: Uint8Array; repaired: number }
> {
	const doc = new Y.Doc();
	const persistence = new IndexeddbPersistence(databaseName(spaceId), doc);
	// y-indexeddb stores what it is given: the entries' own updates do, each
	// with a buffer of its own (it is a view of the message its entry came in).
	const quiet = new QuietUpdates(doc);
	quiet.standIn(persistence._storeUpdate, (updates, origin) => {
		for (const update of updates) persistence._storeUpdate(ownBytes(update), origin);
	});
	let opened: SignedSync | { rebuild: Uint8Array; repaired: number } | null = null;
	try {
		await persistence.whenSynced;
		opened = await SignedSync.openSpace(spaceId, doc, { quiet });
	} finally {
		// Nothing half-open stays behind to be opened a second time by the next try.
		if (!(opened instanceof SignedSync)) {
			await persistence.destroy();
			doc.destroy();
		}
	}
	return opened instanceof SignedSync ? { doc, persistence, quiet, signed: opened } : opened;
}

/** The signaling endpoint served beside the app by `npm start`. */
export function ownSignalingUrl(location: { protocol: string; host: string }): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
}

export class SpaceSession {
	readonly spaceId: SpaceId;
	/** Derived from the space key: room, password, bundle key. */
	readonly secrets: SpaceSecrets;
	readonly doc: Y.Doc;
	readonly persistence: IndexeddbPersistence;
	readonly provider: WebrtcProvider;
	readonly saves: SaveTracker;
	readonly signalingUrls: string[];
	readonly usesCryptoShim: boolean;
	readonly memberId: MemberId;
	readonly watchdog: LinkWatchdog;
	/** Sync protocol v2: the doc's changes go through it as signed log entries. */
	readonly signed: SignedSync;
	/**
	 * How many changes of supply entries, made before signed sync, opening
	 * left out as it moved this space to it (none on every later opening).
	 */
	readonly repairedOnOpen: number;
	readonly #meshLinks: MeshLinks;
	/** Presence on the mesh links (v2/presence.ts) instead of y-webrtc's awareness flood. */
	readonly #presence: MeshPresence;
	#destroyed = false;
	#resumeOnShow = false;
	#unregisterCloser: () => void;

	private constructor(
		secrets: SpaceSecrets,
		doc: Y.Doc,
		persistence: IndexeddbPersistence,
		provider: WebrtcProvider,
		signalingUrls: string[],
		usesCryptoShim: boolean,
		memberId: MemberId,
		signed: SignedSync,
		meshLinks: MeshLinks,
		presence: MeshPresence,
		quiet: QuietUpdates,
		repairedOnOpen: number
	) {
		this.repairedOnOpen = repairedOnOpen;
		this.memberId = memberId;
		this.#presence = presence;
		this.signed = signed;
		this.#meshLinks = meshLinks;
		this.secrets = secrets;
		this.spaceId = secrets.spaceId;
		this.doc = doc;
		this.persistence = persistence;
		this.provider = provider;
		this.signalingUrls = signalingUrls;
		this.usesCryptoShim = usesCryptoShim;
		this.saves = new SaveTracker(doc, persistence, quiet);
		this.watchdog = new LinkWatchdog(provider as unknown as WatchedProvider);
		this.#unregisterCloser = registerCloser(() => this.destroy());
		globalThis.addEventListener?.('pagehide', this.#onPageHide);
		globalThis.addEventListener?.('pageshow', this.#onPageShow);
	}

	// y-webrtc only hooks beforeunload, which phones rarely fire. Leaving on
	// pagehide lets peers drop our links at once instead of after ICE times
	// out; a page restored from the back-forward cache resumes syncing.
	#onPageHide = (): void => {
		if (!this.provider.connected) return;
		this.#resumeOnShow = true;
		this.provider.disconnect();
	};
	#onPageShow = (event: Event): void => {
		if (!(event as PageTransitionEvent).persisted || !this.#resumeOnShow) return;
		this.#resumeOnShow = false;
		this.setSyncing(true);
	};

	/** Open a space: load it from IndexedDB first, then start syncing. */
	static async open(key: Uint8Array, options: SessionOptions): Promise<SpaceSession> {
		const usesCryptoShim = ensureSubtleCrypto();
		const secrets = deriveSpaceSecrets(key);
		await closing.get(secrets.roomName);
		const { doc, persistence, quiet, signed, repaired } = await loadSpace(secrets.spaceId);
		const signalingUrls = [...new Set(options.signaling)];
		// y-webrtc keeps the links but syncs a throwaway doc: the space's
		// changes cross them only as signed log entries (mesh-links.ts).
		const provider = createSpaceProvider(secrets, new Y.Doc(), {
			signaling: signalingUrls,
			iceServers: options.iceServers,
			wrtc: options.wrtc,
			signed: true
		});
		// Presence sits between the mesh links and the engine; pairing links
		// carry none, tabs share it through y-webrtc.
		const presence = new MeshPresence(provider.awareness, signed);
		const session = new SpaceSession(
			secrets,
			doc,
			persistence,
			provider,
			signalingUrls,
			usesCryptoShim,
			options.memberId,
			signed,
			new MeshLinks(provider, presence),
			presence,
			quiet,
			repaired
		);
		session.#announcePresence();
		return session;
	}

	/** Presence carries only the member id: names come from the doc. */
	#announcePresence(): void {
		this.provider.awareness.setLocalState({ member: this.memberId });
	}

	get isSyncing(): boolean {
		return this.provider.connected;
	}

	/** Pause or resume network sync (saves battery; edits stay on the device). */
	setSyncing(on: boolean): void {
		if (on === this.provider.connected) return;
		if (on) {
			this.provider.connect();
			// y-webrtc clears our presence on disconnect; set it again.
			this.#announcePresence();
		} else {
			this.provider.disconnect();
		}
	}

	async destroy(): Promise<void> {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#unregisterCloser();
		const done = (async () => {
			globalThis.removeEventListener?.('pagehide', this.#onPageHide);
			globalThis.removeEventListener?.('pageshow', this.#onPageShow);
			this.saves.destroy();
			this.watchdog.destroy();
			this.#meshLinks.destroy();
			this.#presence.destroy();
			this.provider.disconnect();
			this.provider.destroy();
			await this.signed.close();
			await this.persistence.destroy();
			this.doc.destroy();
			// Room teardown in y-webrtc waits on the key promise; give it a tick.
			await new Promise((resolve) => setTimeout(resolve, 50));
		})();
		closing.set(this.secrets.roomName, done);
		await done;
		if (closing.get(this.secrets.roomName) === done) closing.delete(this.secrets.roomName);
	}
}
