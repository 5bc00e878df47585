// What a person brings to this device from outside, for the home and join
// screens: an invite (link, QR code or pasted text) and a bundle file.
// Both are untrusted: each read gives a value or a reason, never throws.
import type { SpaceId } from '../domain/ids';
import { readChosenBytes } from '../device/chosen-file';
import { MAX_BUNDLE_BYTES, readBundleHeader, type BundleHeader } from '../sync/bundle';
import { parseInvite, type Invite, type InviteProblem } from '../sync/invite';
import { deriveSpaceSecrets } from '../sync/keys';
import { bundleFailure, type Outcome } from './bundles.svelte';

export { parseInvite };
export type { BundleHeader, Invite, InviteProblem };

/**
 * The bytes of a file chosen as a bundle. One larger than any bundle is
 * refused before a byte is read (a picker hands over anything, and a phone
 * reading a video into memory can lose the tab).
 */
export async function readChosenBundle(
	file: Pick<Blob, 'size' | 'arrayBuffer'>
): Promise<Outcome<{ bytes: Uint8Array }>> {
	const read = await readChosenBytes(file, MAX_BUNDLE_BYTES);
	if (read.ok) return read;
	return { ok: false, problem: { kind: read.problem } };
}

/** Read a bundle file's header: which space it holds, and whether it is one at all. */
export function readBundleFile(bytes: Uint8Array): Outcome<{ header: BundleHeader }> {
	try {
		return { ok: true, header: readBundleHeader(bytes).header };
	} catch (failure) {
		return { ok: false, problem: bundleFailure(failure) };
	}
}

/** Whether `invite` is the invite of the space `spaceId`. */
export function inviteIsFor(invite: Invite, spaceId: SpaceId | string): boolean {
	return deriveSpaceSecrets(invite.key).spaceId === spaceId;
}
