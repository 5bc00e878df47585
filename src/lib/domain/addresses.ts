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
