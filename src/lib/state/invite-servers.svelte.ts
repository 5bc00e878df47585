// Signaling servers named in an invite (s= in its link). A server a device
// connects through learns which devices join the space and when (never what
// they write), so a hostile invite could point a device at one that logs it.
// Before joining, a device asks about any server it does not use already;
// refused ones are dropped from the invite, and the device joins with its
// own servers (pairing and files still work).
import type { Invite } from '../sync/invite';

/** A signaling address as compared here: parsed and normalised, or null. */
function normalised(url: string): string | null {
	try {
		return new URL(url).href;
	} catch {
		return null;
	}
}

/**
 * The servers `invite` names that are not among `known` and not on the app's
 * own host (`ownHost`, as `location.host`).
 */
export function unfamiliarServers(invite: Invite, known: string[], ownHost: string): string[] {
	const familiar = new Set(known.map(normalised));
	return invite.signaling.filter((url) => {
		const href = normalised(url);
		return href !== null && !familiar.has(href) && new URL(href).host !== ownHost;
	});
}

/** `invite` without `servers`: what a device joins with after refusing them. */
export function withoutServers(invite: Invite, servers: string[]): Invite {
	return { ...invite, signaling: invite.signaling.filter((url) => !servers.includes(url)) };
}

/** The host a person recognises a server by. */
export function serverHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/**
 * The question, for a page that joins: `confirm` resolves with the invite to
 * join with once the person answered (at once when there is nothing to ask).
 */
export class InviteServerQuestion {
	asking = $state<{ servers: string[]; answer: (use: boolean) => void } | null>(null);
	#unfamiliar: (invite: Invite) => string[];

	constructor(unfamiliar: (invite: Invite) => string[]) {
		this.#unfamiliar = unfamiliar;
	}

	async confirm(invite: Invite): Promise<Invite> {
		const servers = this.#unfamiliar(invite);
		if (servers.length === 0) return invite;
		// A second invite while one question is open: the first is refused, the second asked.
		this.asking?.answer(false);
		const question = { servers, answer: (_use: boolean) => {} };
		const use = await new Promise<boolean>((resolve) => {
			question.answer = resolve;
			this.asking = question;
		});
		if (this.asking === question) this.asking = null;
		return use ? invite : withoutServers(invite, servers);
	}
}
