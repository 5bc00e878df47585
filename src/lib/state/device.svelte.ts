// This device's identity and its list of spaces, for the screens that
// show or change them. Backed by the device store (localStorage).
import type { SpaceId } from '../domain/ids';
import { generateSpaceKey, encodeSpaceKey, deriveSpaceSecrets } from '../sync/keys';
import {
	loadProfile,
	loadSettings,
	loadSpaces,
	removeSpaceEntry,
	renameSpaceEntry,
	saveProfile,
	saveSpace,
	type Profile,
	type SpaceEntry
} from '../device/device-store';
import { listenForWipe, wipeDevice } from '../device/wipe';
import { announceRemoved, listenForRemoved } from '../device/remove-space';
import { deleteDatabaseWithin } from '../device/delete-database';
import { DEVICE_FILES_DB } from '../device/device-files';
import { forgetLinkLog, localLinkStore } from '../sync/link-log';
import { createSpaceOnDevice, databaseName } from '../sync/session';
import { logDatabaseName } from '../sync/v2/log-store';
import type { Invite } from '../sync/invite';
import { unfamiliarServers } from './invite-servers.svelte';

export type { Profile, SpaceEntry };

/** Data a wipe could not delete yet, named for the person: a space, the map file, or other. */
export interface WipeLeftover {
	kind: 'space' | 'files' | 'other';
	name: string;
}

/** What a wipe left: the keys are always gone; these still wait for another tab, or were refused. */
export interface WipeLeftovers {
	pending: WipeLeftover[];
	failed: WipeLeftover[];
}

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

	/**
	 * The signaling servers `invite` names that this device does not use yet:
	 * not in its settings, not named by a space it has, not the app's own
	 * (see invite-servers.svelte.ts: the person is asked before using them).
	 */
	unfamiliarServers(invite: Invite): string[] {
		// Joining a space this device has already uses none of the invite's servers.
		const { spaceId } = deriveSpaceSecrets(invite.key);
		if (this.spaces.some((space) => space.spaceId === spaceId)) return [];
		const known = [...loadSettings().signaling, ...this.spaces.flatMap((space) => space.signaling)];
		return unfamiliarServers(invite, known, location.host);
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
	 * Remove every space, key, cached page and setting from this device: the
	 * keys at once, the data as soon as no other tab holds it open. Returns
	 * null when everything is gone (the caller then reloads the page, so
	 * nothing survives in memory either), or what is still left.
	 */
	async wipe(): Promise<WipeLeftovers | null> {
		const spaces = this.spaces;
		for (const space of spaces) forgetLinkLog(space.spaceId);
		const report = await wipeDevice(spaces.flatMap((space) => spaceDatabases(space.spaceId)));
		this.refresh();
		const named = (database: string): WipeLeftover => {
			const space = spaces.find((entry) => spaceDatabases(entry.spaceId).includes(database));
			if (space) return { kind: 'space', name: space.name };
			return { kind: database === DEVICE_FILES_DB ? 'files' : 'other', name: database };
		};
		// A space's doc and its logs are one thing to the person.
		const listed = (databases: string[]) => [
			...new Map(databases.map(named).map((item) => [`${item.kind}:${item.name}`, item])).values()
		];
		if (report.pending.length === 0 && report.failed.length === 0) return null;
		return { pending: listed(report.pending), failed: listed(report.failed) };
	}

	/** In every tab: `onWiped` runs when another tab wipes the device. Returns a stop function. */
	listenForWipe(onWiped: () => void): () => void {
		// Closing must not save a list of links back after the wipe cleared it.
		return listenForWipe(onWiped, () => {
			for (const space of this.spaces) forgetLinkLog(space.spaceId);
		});
	}

	refresh(): void {
		this.profile = loadProfile();
		this.spaces = loadSpaces();
	}
}

export const device = new Device();
