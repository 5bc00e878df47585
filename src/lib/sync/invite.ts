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

/** Why text is not an invite: nothing given, no space key in it, or a key cut off or damaged. */
export type InviteProblem = 'empty' | 'no-key' | 'damaged-key';

export type InviteResult = { ok: true; invite: Invite } | { ok: false; problem: InviteProblem };

/** Accepts a whole link, just its fragment, or text pasted around a link. */
export function parseInvite(input: string): InviteResult {
	const text = input.trim();
	if (text === '') return { ok: false, problem: 'empty' };
	const hashAt = text.indexOf('#');
	const fragment = hashAt >= 0 ? text.slice(hashAt + 1) : text;
	const params = new URLSearchParams(fragment.split(/\s/)[0]);
	const rawKey = params.get('k');
	if (rawKey === null) return { ok: false, problem: 'no-key' };
	const key = decodeSpaceKey(rawKey);
	if (!key) return { ok: false, problem: 'damaged-key' };
	const name = (params.get('n') ?? '').trim().slice(0, 80);
	const signaling = params.getAll('s').filter(isSignalingUrl);
	return { ok: true, invite: { key, name, signaling } };
}
