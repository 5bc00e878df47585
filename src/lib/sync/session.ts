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
import type { MeshLinks } from './v2/mesh-links';
import type { MeshPresence } from './v2/presence';
import type { SignedSync } from './v2/signed-sync';
import { isSignedSyncOn } from './v2/switch';
import { databaseName } from './space-database';

export interface SessionOptions {
	signaling: string[];
	iceServers: RTCIceServer[];
	memberId: MemberId;
	/** Defaults to the browser's WebRTC; the relay and Node tests pass @roamhq/wrtc. */
	wrtc?: WrtcImplementation;
	/** Sync protocol v2 (signed logs) instead of y-webrtc's own; the switch in v2/switch.ts by default. */
	signed?: boolean;
}

/** y-webrtc refuses a second provider for a room until the first is fully gone (#47). */
const closing = new Map<string, Promise<void>>();

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
	/** Sync protocol v2, when it is switched on: the doc's changes go through it. */
	readonly signed: SignedSync | null;
	readonly #meshLinks: MeshLinks | null;
	/** Under v2, presence on the mesh links (v2/presence.ts) instead of y-webrtc's awareness flood. */
	readonly #presence: MeshPresence | null;
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
		signed: SignedSync | null,
		meshLinks: MeshLinks | null,
		presence: MeshPresence | null,
		quiet: QuietUpdates
	) {
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

		const doc = new Y.Doc();
		const persistence = new IndexeddbPersistence(databaseName(secrets.spaceId), doc);
		// y-indexeddb stores what it is given: the entries' own updates do.
		const quiet = new QuietUpdates(doc);
		quiet.standIn(persistence._storeUpdate, (updates, origin) => {
			for (const update of updates) persistence._storeUpdate(update, origin);
		});
		let signed: SignedSync | null = null;
		let meshLinks: typeof MeshLinks | null;
		let meshPresence: typeof MeshPresence | null;
		try {
			await persistence.whenSynced;
			// Loaded only when switched on: it brings Ed25519 and the rules, which
			// today's sync does not need on the main route.
			const v2 = (options.signed ?? isSignedSyncOn()) ? await import('./v2/signed-sync') : null;
			signed = v2 ? await v2.SignedSync.openIfSigned(secrets.spaceId, doc, { quiet }) : null;
			meshLinks = signed && (await import('./v2/mesh-links')).MeshLinks;
			meshPresence = signed && (await import('./v2/presence')).MeshPresence;
		} catch (error) {
			// Nothing half-open stays behind to be opened a second time by the next try.
			await signed?.close();
			await persistence.destroy();
			doc.destroy();
			throw error;
		}
		const signalingUrls = [...new Set(options.signaling)];
		// Under v2 y-webrtc keeps the links but syncs a throwaway doc: the
		// space's changes cross them only as signed log entries (mesh-links.ts).
		const provider = createSpaceProvider(secrets, signed ? new Y.Doc() : doc, {
			signaling: signalingUrls,
			iceServers: options.iceServers,
			wrtc: options.wrtc,
			signed: signed !== null
		});
		// Presence sits between the mesh links and the engine; pairing links
		// carry none (as on today's sync), tabs share it through y-webrtc.
		const presence = signed && meshPresence && new meshPresence(provider.awareness, signed);
		const session = new SpaceSession(
			secrets,
			doc,
			persistence,
			provider,
			signalingUrls,
			usesCryptoShim,
			options.memberId,
			signed,
			presence && meshLinks && new meshLinks(provider, presence),
			presence,
			quiet
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
			this.#meshLinks?.destroy();
			this.#presence?.destroy();
			this.provider.disconnect();
			this.provider.destroy();
			await this.signed?.close();
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
