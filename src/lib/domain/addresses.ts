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
	// A pasted invite link (…/join#k=…) is not a server address; nor is anything with a query.
	if (url.hash || url.search || /\/join\/?$/.test(url.pathname)) return null;
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
 * How likely other devices on this network reach `host`: 0 for the usual home
 * and office ranges, higher for container bridges and VPNs, null for a host
 * that is not on a local network at all (a public name or address).
 */
function localRank(host: string): number | null {
	const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (ipv4) {
		const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
		if (a === 192 && b === 168) return 0;
		if (a === 10) return 1;
		// 172.17/16 is Docker's bridge, which phones never see.
		if (a === 172 && b >= 16 && b <= 31) return b === 17 ? 5 : 2;
		// Carrier-grade NAT space, also used by VPNs such as Tailscale.
		if (a === 100 && b >= 64 && b <= 127) return 4;
		if (a === 169 && b === 254) return 6;
		return null;
	}
	const ipv6 = host.replace(/^\[|\]$/g, '').toLowerCase();
	if (ipv6.includes(':')) return /^f[cd]/.test(ipv6) ? 3 : /^fe[89ab]/.test(ipv6) ? 6 : null;
	// Names only a local network resolves (.test is reserved for testing, RFC 2606).
	return /\.(local|lan|home\.arpa|internal|test)$/.test(host.toLowerCase()) ? 3 : null;
}

/**
 * The origins in what this app's own server said about its network addresses
 * (`{ app: 'barnraise', origins: [...] }`) that other devices on the network
 * can open: same scheme and port as `page`, on a local-network address, best
 * first, without loopback ones or duplicates; [] for anything else. An invite
 * link carries the space key, so it never points to a public site, whatever
 * answered the request.
 */
export function readNetworkOrigins(
	body: unknown,
	page: { protocol: string; port: string }
): string[] {
	if (typeof body !== 'object' || body === null) return [];
	if ((body as { app?: unknown }).app !== 'barnraise') return [];
	const list = (body as { origins?: unknown }).origins;
	if (!Array.isArray(list)) return [];
	const ranked = new Map<string, number>();
	for (const item of list.slice(0, MAX_NETWORK_ORIGINS)) {
		if (typeof item !== 'string' || item.length > 200) continue;
		try {
			const url = new URL(item);
			if (url.protocol !== page.protocol || url.port !== page.port) continue;
			if (isLoopbackHost(url.hostname)) continue;
			const rank = localRank(url.hostname);
			if (rank !== null && !ranked.has(url.origin)) ranked.set(url.origin, rank);
		} catch {
			// Not an address: skip it.
		}
	}
	return [...ranked].sort((x, y) => x[1] - y[1]).map(([origin]) => origin);
}
