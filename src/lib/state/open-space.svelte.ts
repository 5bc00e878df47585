// Opening and closing one space on this device, for the space's layout:
// find its key, open its session (doc + IndexedDB + transports), build its
// models, merge a bundle waiting to be imported, keep the device's list of
// spaces showing its current name — and undo all of it on destroy, even
// when destroy comes while the space is still opening.
import type { SpaceId } from '../domain/ids';
import { findSpace, loadSettings } from '../device/device-store';
import { HeldOpenError } from '../device/held-open';
import { makeInviteLink } from '../sync/invite';
import { decodeSpaceKey } from '../sync/keys';
import { ownSignalingUrl, SpaceSession } from '../sync/session';
import { OldContentError } from '../sync/v2/signed-sync';
import { exposeForDebugging } from './debug-handle';
import { device } from './device.svelte';
import { takePendingImport } from './pending-import';
import { bundleFailureText } from './problem-text';
import { Space } from './space.svelte';
import { m } from '$lib/paraglide/messages';

export type OpenPhase =
	| { kind: 'opening' }
	| { kind: 'open'; space: Space }
	| { kind: 'missing' }
	/** Removed from this device by another tab while open here. */
	| { kind: 'removed' }
	/**
	 * `cause`: another tab of the app would not let go of its databases, or
	 * the space holds content from before signed sync that cannot be moved to it.
	 */
	| { kind: 'failed'; message: string; cause: 'held-open' | 'old-content' | null };

export interface Notice {
	ok: boolean;
	text: string;
}

export class OpenSpace {
	phase = $state<OpenPhase>({ kind: 'opening' });
	/** The space's name as this device knew it (from the invite), before its details arrive. */
	knownName = $state('');
	/** The invite link that opens the app at `origin` (set once the space is open). */
	inviteAt = $state<(origin: string) => string>(() => '');
	/** What became of a bundle chosen on the home screen for this space, if any. */
	importNotice = $state<Notice | null>(null);
	#destroyed = false;
	#session: SpaceSession | null = null;
	#hide: (() => void) | null = null;
	#stopListening: () => void = () => {};

	constructor(spaceId: string) {
		const entry = findSpace(spaceId);
		const profile = device.profile;
		const key = entry ? decodeSpaceKey(entry.key) : null;
		if (!entry || !key || !profile) {
			this.phase = { kind: 'missing' };
			return;
		}
		this.knownName = entry.name;
		this.#stopListening = device.listenForRemoved((removed) => {
			if (removed !== spaceId) return;
			// Let go of its database so the other tab can delete it.
			this.destroy();
			this.phase = { kind: 'removed' };
		});
		const settings = loadSettings();
		SpaceSession.open(key, {
			signaling: [ownSignalingUrl(location), ...settings.signaling, ...entry.signaling],
			iceServers: settings.iceServers,
			memberId: profile.memberId
		}).then(
			(session) => {
				if (this.#destroyed) {
					void session.destroy();
					return;
				}
				this.#session = session;
				try {
					const space = new Space(session, profile.memberId, (name) =>
						device.renameSpace(session.spaceId, name)
					);
					// Nothing is written into a space made for a newer app (the layout says why).
					if (!space.info.newerSchema) space.info.announce(profile.memberId, profile.displayName);
					const name = space.info.meta?.name;
					if (name) device.renameSpace(session.spaceId, name);
					this.#hide = exposeForDebugging(space);
					this.inviteAt = (origin) =>
						makeInviteLink(origin, {
							key,
							name: space.info.meta?.name ?? entry.name,
							signaling: entry.signaling
						});
					this.phase = { kind: 'open', space };
					void this.#importPending(space, session.spaceId);
				} catch (error) {
					// The session opened but something after it failed: say so, keep nothing half-open.
					this.phase = {
						kind: 'failed',
						message: error instanceof Error ? error.message : String(error),
						cause: null
					};
					void session.destroy();
				}
			},
			(error: unknown) => {
				if (this.#destroyed) return;
				this.phase = {
					kind: 'failed',
					message: error instanceof Error ? error.message : String(error),
					cause:
						error instanceof HeldOpenError
							? 'held-open'
							: error instanceof OldContentError
								? 'old-content'
								: null
				};
			}
		);
	}

	async #importPending(space: Space, spaceId: SpaceId): Promise<void> {
		const file = takePendingImport(spaceId);
		if (!file) return;
		const result = await space.bundles.import(file);
		if (this.#destroyed) return;
		this.importNotice = result.ok
			? {
					ok: true,
					text:
						result.refused > 0
							? m.links_bundle_ranges_refused()
							: result.changed
								? m.space_bundle_imported()
								: m.space_bundle_nothing_new()
				}
			: { ok: false, text: bundleFailureText(result.problem) };
	}

	dismissImportNotice(): void {
		this.importNotice = null;
	}

	/** Close the space: its session, transports and every model on it. */
	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#stopListening();
		this.#hide?.();
		void this.#session?.destroy();
	}
}
