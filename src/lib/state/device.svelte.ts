// This device's identity and its list of spaces, for the screens that
// show or change them. Read from the device store (localStorage); the
// profile and the list of spaces are written through their durable copies
// (durable-profile.ts, durable-spaces.ts), and picking a name, creating or
// joining a space is done only once that copy has committed.
import type { SpaceId } from '../domain/ids';
import { generateSpaceKey, encodeSpaceKey, deriveSpaceSecrets } from '../sync/keys';
import {
	loadProfile,
	loadSettings,
	loadSpaces,
	type Profile,
	type SpaceEntry
} from '../device/device-store';
import {
	removeSpaceEntry,
	renameSpaceEntry,
	restoreSpaces,
	saveSpace
} from '../device/durable-spaces';
import { restoreProfile, saveProfile } from '../device/durable-profile';
import { listenForWipe, wipeDevice, within } from '../device/wipe';
import { announceRemoved, listenForRemoved } from '../device/remove-space';
import { deleteDatabaseWithin } from '../device/delete-database';
import { DEVICE_FILES_DB } from '../device/device-files';
import { forgetLinkLog, localLinkStore } from '../sync/link-log';
import { createSpaceOnDevice, databaseName } from '../sync/space-database';
import { forgetDeviceKey, logDatabaseName } from '../sync/v2/log-database';
import type { Invite } from '../sync/invite';
import { unfamiliarServers } from './invite-servers.svelte';
import { m } from '$lib/paraglide/messages';

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

/** How long startup waits for the durable copies of the profile and spaces before showing them. */
const RESTORE_WAIT_MS = 3_000;

/** Every database a space keeps on this device: its doc, and its logs with the device key. */
function spaceDatabases(spaceId: SpaceId): string[] {
	return [databaseName(spaceId), logDatabaseName(spaceId)];
}

class Device {
	profile = $state<Profile | null>(loadProfile());
	spaces = $state<SpaceEntry[]>(loadSpaces());

	/** Keep the name this person goes by here; resolves once it is kept durably. */
	async setDisplayName(name: string): Promise<void> {
		this.profile = await saveProfile(name);
	}

	async createSpace(name: string): Promise<SpaceId> {
		const key = generateSpaceKey();
		const { spaceId } = await createSpaceOnDevice(key, name, Date.now());
		await saveSpace({
			spaceId,
			key: encodeSpaceKey(key),
			name,
			addedAt: Date.now(),
			signaling: []
		});
		this.spaces = loadSpaces();
		return spaceId;
	}

	/** Remember an invited space, durably before it resolves; joining twice is harmless. */
	async join(invite: Invite): Promise<SpaceId> {
		const { spaceId } = deriveSpaceSecrets(invite.key);
		const existing = this.spaces.find((space) => space.spaceId === spaceId);
		if (!existing) {
			await saveSpace({
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
		// Only the name shown in the list: if it is not saved, the space's
		// own details still name it, and the next opening tries again.
		void renameSpaceEntry(spaceId, name).then(
			() => (this.spaces = loadSpaces()),
			() => {}
		);
	}

	/**
	 * Remove one space from this device: its key first (so nothing can open it
	 * again, whatever happens next; the durable copy before the fast one),
	 * then its list of links, this device's signing key for it, and then its
	 * data and its logs.
	 * Other devices in the space keep it. 'pending' when another tab still
	 * holds it open after a few seconds: the browser deletes it once that tab
	 * closes it (tabs that have it open are told to); 'failed' when the
	 * browser refused to delete it (the key is gone all the same); 'kept' when
	 * the browser refused to change the durable list of spaces, so the space
	 * stays (its data too: without that, the key would come back to nothing).
	 */
	async removeSpace(spaceId: SpaceId): Promise<'removed' | 'pending' | 'failed' | 'kept'> {
		try {
			await removeSpaceEntry(spaceId);
		} catch {
			return 'kept';
		} finally {
			this.spaces = loadSpaces();
		}
		forgetLinkLog(spaceId);
		announceRemoved(spaceId);
		// A read-write transaction, which a tab holding the logs open does not hold back.
		await within(REMOVE_WAIT_MS, forgetDeviceKey(logDatabaseName(spaceId))).catch(() => {});
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
		const report = await wipeDevice(
			spaces.flatMap((space) => spaceDatabases(space.spaceId)),
			spaces.map((space) => () => forgetDeviceKey(logDatabaseName(space.spaceId)))
		);
		this.refresh();
		// The keys are not gone: the person must not be told they are.
		if (!report.keysCleared) throw new Error(m.wipe_keys_kept());
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

	/**
	 * At startup, before the list is shown, a space opened or a name asked
	 * for: bring back the profile and the spaces whose localStorage copy a
	 * crash lost (see durable-profile.ts, durable-spaces.ts). Waits a bounded
	 * time; a late restore still updates what is shown.
	 */
	async restore(): Promise<void> {
		// No durable copy to read (the browser refused): localStorage alone, as before it.
		const keepLocal = () => {};
		const restoring = Promise.all([
			restoreProfile().then(() => (this.profile = loadProfile()), keepLocal),
			restoreSpaces().then(() => (this.spaces = loadSpaces()), keepLocal)
		]);
		await within(RESTORE_WAIT_MS, restoring);
	}

	refresh(): void {
		this.profile = loadProfile();
		this.spaces = loadSpaces();
	}
}

export const device = new Device();
