// This device's identity and its list of spaces, for the screens that
// show or change them. Backed by the device store (localStorage).
import type { SpaceId } from '../domain/ids';
import { generateSpaceKey, encodeSpaceKey, deriveSpaceSecrets } from '../sync/keys';
import {
	loadProfile,
	loadSpaces,
	removeSpaceEntry,
	renameSpaceEntry,
	saveProfile,
	saveSpace,
	type Profile,
	type SpaceEntry
} from '../device/device-store';
import { listenForWipe, wipeDevice } from '../device/wipe';
import { announceRemoved, deleteDatabaseWithin, listenForRemoved } from '../device/remove-space';
import { forgetLinkLog, localLinkStore } from '../sync/link-log';
import { createSpaceOnDevice, databaseName } from '../sync/session';
import { logDatabaseName } from '../sync/v2/log-store';
import type { Invite } from '../sync/invite';

export type { Profile, SpaceEntry };

/** How long removing a space waits for other tabs to let go of its database. */
const REMOVE_WAIT_MS = 5_000;

/** Every database a space keeps on this device: its doc, and its logs with the device key. */
function spaceDatabases(spaceId: SpaceId): string[] {
	return [databaseName(spaceId), logDatabaseName(spaceId)];
}

class Device {
	profile = $state<Profile | null>(loadProfile());
	spaces = $state<SpaceEntry[]>(loadSpaces());

	setDisplayName(name: string): void {
		this.profile = saveProfile(name);
	}

	async createSpace(name: string): Promise<SpaceId> {
		const key = generateSpaceKey();
		const { spaceId } = await createSpaceOnDevice(key, name, Date.now());
		saveSpace({ spaceId, key: encodeSpaceKey(key), name, addedAt: Date.now(), signaling: [] });
		this.spaces = loadSpaces();
		return spaceId;
	}

	/** Remember an invited space; joining twice is harmless. */
	join(invite: Invite): SpaceId {
		const { spaceId } = deriveSpaceSecrets(invite.key);
		const existing = this.spaces.find((space) => space.spaceId === spaceId);
		if (!existing) {
			saveSpace({
				spaceId,
				key: encodeSpaceKey(invite.key),
				name: invite.name,
				addedAt: Date.now(),
				signaling: invite.signaling
			});
			this.spaces = loadSpaces();
		}
		return spaceId;
	}

	/** Keep the list showing a space's current name (what its members call it now). */
	renameSpace(spaceId: SpaceId, name: string): void {
		const entry = this.spaces.find((space) => space.spaceId === spaceId);
		if (!entry || entry.name === name) return;
		renameSpaceEntry(spaceId, name);
		this.spaces = loadSpaces();
	}

	/**
	 * Remove one space from this device: its key first (so nothing can open it
	 * again, whatever happens next), then its list of links, then its data
	 * and its logs (with this device's signing key for the space).
	 * Other devices in the space keep it. 'pending' when another tab still
	 * holds it open after a few seconds: the browser deletes it once that tab
	 * closes it (tabs that have it open are told to); 'failed' when the
	 * browser refused to delete it (the key is gone all the same).
	 */
	async removeSpace(spaceId: SpaceId): Promise<'removed' | 'pending' | 'failed'> {
		removeSpaceEntry(spaceId);
		this.spaces = loadSpaces();
		forgetLinkLog(spaceId);
		announceRemoved(spaceId);
		const outcomes = await Promise.all(
			spaceDatabases(spaceId).map((name) => deleteDatabaseWithin(name, REMOVE_WAIT_MS))
		);
		if (outcomes.includes('failed')) return 'failed';
		return outcomes.includes('blocked') ? 'pending' : 'removed';
	}

	/**
	 * Whether this device is known to have shared the space: linked with
	 * another device in it, or saved or opened a file of it. When not, its copy
	 * here may be the only one.
	 */
	hasShared(spaceId: SpaceId): boolean {
		const records = localLinkStore(spaceId).load();
		// Another tab of this browser is this same device: it holds no other copy.
		return (
			Array.isArray(records) &&
			records.some((record) => (record as { transport?: unknown })?.transport !== 'tab')
		);
	}

	/** In every tab: `onRemoved` runs when another tab removes a space. Returns a stop function. */
	listenForRemoved(onRemoved: (spaceId: string) => void): () => void {
		return listenForRemoved((spaceId) => {
			// Before the space closes here: closing saves its list of links one last time.
			forgetLinkLog(spaceId);
			this.spaces = loadSpaces();
			onRemoved(spaceId);
		});
	}

	/**
	 * Remove every space, key, cached page and setting from this device.
	 * The caller reloads the page afterwards, so nothing survives in memory.
	 */
	async wipe(): Promise<void> {
		await wipeDevice(this.spaces.flatMap((space) => spaceDatabases(space.spaceId)));
	}

	/** In every tab: `onWiped` runs when another tab wipes the device. Returns a stop function. */
	listenForWipe(onWiped: () => void): () => void {
		return listenForWipe(onWiped);
	}

	refresh(): void {
		this.profile = loadProfile();
		this.spaces = loadSpaces();
	}
}

export const device = new Device();
