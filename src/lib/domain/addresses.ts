// Addresses people type or invites carry: what counts as a signaling server.
// Pure TypeScript: no Svelte, no Yjs.

/** A WebSocket address (ws: or wss:) that a signaling server could be at. */
export function isSignalingUrl(url: string): boolean {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'ws:' || parsed.protocol === 'wss:';
	} catch {
		return false;
	}
}

/**
 * A signaling address from what a person types: a ws:// or wss:// address as
 * it is; the address `npm start` prints (192.168.1.20:8080, or with http://
 * or https://) turned into its signaling endpoint (ws://…/signal, wss:// for
 * https). Null when it is none of these.
 */
export function signalingUrlFrom(input: string): string | null {
	const text = input.trim();
	if (text === '' || /\s/.test(text)) return null;
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		return null;
	}
	if (!url.hostname || url.username || url.password) return null;
	switch (url.protocol) {
		case 'ws:':
		case 'wss:':
			return url.toString();
		case 'http:':
		case 'https:': {
			const scheme = url.protocol === 'https:' ? 'wss' : 'ws';
			const path = url.pathname.replace(/\/+$/, '');
			return `${scheme}://${url.host}${path.endsWith('/signal') ? path : `${path}/signal`}`;
		}
		default:
			return null;
	}
}

/**
 * True for a host only this device can reach (localhost, 127.x, ::1): a link
 * made there opens the app on whoever follows it, not on this device.
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
	);
}

/** At most this many addresses are offered: a server's list is input like any other. */
export const MAX_NETWORK_ORIGINS = 16;

/**
 * The http(s) origins in what a server said about its network addresses
 * (`{ origins: [...] }`), without loopback ones or duplicates; [] for
 * anything else.
 */
export function readNetworkOrigins(body: unknown): string[] {
	if (typeof body !== 'object' || body === null) return [];
	const list = (body as { origins?: unknown }).origins;
	if (!Array.isArray(list)) return [];
	const origins = new Set<string>();
	for (const item of list.slice(0, MAX_NETWORK_ORIGINS)) {
		if (typeof item !== 'string' || item.length > 200) continue;
		try {
			const url = new URL(item);
			if ((url.protocol === 'http:' || url.protocol === 'https:') && !isLoopbackHost(url.hostname))
				origins.add(url.origin);
		} catch {
			// Not an address: skip it.
		}
	}
	return [...origins];
}
