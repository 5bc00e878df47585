// Invite links. The secret lives only in the URL fragment (after '#'),
// which browsers never send to any server, so it stays out of server logs.
//   <origin>/join#k=<space key>&n=<space name>&s=<extra signaling url>...
import { isSignalingUrl } from '../domain/addresses';
import { decodeSpaceKey, encodeSpaceKey } from './keys';

export interface Invite {
	key: Uint8Array;
	/** Shown before the space has synced; the doc's own name wins after. */
	name: string;
	/** Signaling servers to try besides the page's own origin. */
	signaling: string[];
}

export function makeInviteLink(appOrigin: string, invite: Invite): string {
	const params = new URLSearchParams();
	params.set('k', encodeSpaceKey(invite.key));
	if (invite.name) params.set('n', invite.name);
	for (const url of invite.signaling) params.append('s', url);
	return `${appOrigin.replace(/\/$/, '')}/join#${params.toString()}`;
}

export type InviteResult = { ok: true; invite: Invite } | { ok: false; message: string };

/** Accepts a whole link, just its fragment, or text pasted around a link. */
export function parseInvite(input: string): InviteResult {
	const text = input.trim();
	if (text === '') return { ok: false, message: 'Paste an invite link first.' };
	const hashAt = text.indexOf('#');
	const fragment = hashAt >= 0 ? text.slice(hashAt + 1) : text;
	const params = new URLSearchParams(fragment.split(/\s/)[0]);
	const rawKey = params.get('k');
	if (rawKey === null) {
		return {
			ok: false,
			message:
				'This is not a Barnraise invite: it has no space key. Ask for the link again, and copy all of it.'
		};
	}
	const key = decodeSpaceKey(rawKey);
	if (!key) {
		return {
			ok: false,
			message:
				'This invite link is damaged or cut off: its space key is not complete. Ask for the link again.'
		};
	}
	const name = (params.get('n') ?? '').trim().slice(0, 80);
	const signaling = params.getAll('s').filter(isSignalingUrl);
	return { ok: true, invite: { key, name, signaling } };
}
