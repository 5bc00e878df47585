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
