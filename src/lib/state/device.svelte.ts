// This device's identity and its list of spaces, for the screens that
// show or change them. Backed by the device store (localStorage).
import type { SpaceId } from '../domain/ids';
import { generateSpaceKey, encodeSpaceKey, deriveSpaceSecrets } from '../sync/keys';
import {
	loadProfile,
	loadSpaces,
	saveProfile,
	saveSpace,
	type Profile,
	type SpaceEntry
} from '../device/device-store';
import { createSpaceOnDevice } from '../sync/session';
import type { Invite } from '../sync/invite';

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

	refresh(): void {
		this.profile = loadProfile();
		this.spaces = loadSpaces();
	}
}

export const device = new Device();
