// What a person brings to this device from outside, for the home and join
// screens: an invite (link, QR code or pasted text) and a bundle file.
// Both are untrusted: each read gives a value or a message, never throws.
import type { SpaceId } from '../domain/ids';
import { BundleError, readBundleHeader, type BundleHeader } from '../sync/bundle';
import { parseInvite, type Invite } from '../sync/invite';
import { deriveSpaceSecrets } from '../sync/keys';
import type { Outcome } from './bundles.svelte';

export { parseInvite };
export type { BundleHeader, Invite };

/** Read a bundle file's header: which space it holds, and whether it is one at all. */
export function readBundleFile(bytes: Uint8Array): Outcome<{ header: BundleHeader }> {
	try {
		return { ok: true, header: readBundleHeader(bytes).header };
	} catch (failure) {
		return {
			ok: false,
			message: failure instanceof BundleError ? failure.message : 'This file could not be read.'
		};
	}
}

/** Whether `invite` is the invite of the space `spaceId`. */
export function inviteIsFor(invite: Invite, spaceId: SpaceId | string): boolean {
	return deriveSpaceSecrets(invite.key).spaceId === spaceId;
}
