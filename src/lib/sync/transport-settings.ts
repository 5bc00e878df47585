// Parsing the transport settings a person types: extra signaling servers
// (one per line: the address npm start prints, or a WebSocket URL) and ICE servers (one per line:
// "stun:host:port" or "turn:host:port username credential"), and the online
// map tile address. A refusal names the problem and the line; the view says it.
import { signalingUrlFrom } from '../domain/addresses';

export type SettingsProblem =
	| { kind: 'bad-signaling'; line: string }
	| { kind: 'bad-ice'; line: string }
	| { kind: 'turn-needs-login'; url: string }
	| { kind: 'bad-tile-url' };

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: SettingsProblem };

/** A typed line as it is quoted back: trimmed, and short enough to read. */
const quoted = (line: string) => line.trim().slice(0, 80);

export function parseSignalingList(text: string): Parsed<string[]> {
	const urls: string[] = [];
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const url = signalingUrlFrom(line);
		if (!url) return { ok: false, problem: { kind: 'bad-signaling', line: quoted(line) } };
		urls.push(url);
	}
	return { ok: true, value: [...new Set(urls)] };
}

export function parseIceServers(text: string): Parsed<RTCIceServer[]> {
	const servers: RTCIceServer[] = [];
	for (const line of text.split('\n')) {
		const [url, username, credential, ...rest] = line.trim().split(/\s+/).filter(Boolean);
		if (!url) continue;
		if (!/^(stun|stuns|turn|turns):/.test(url) || rest.length > 0)
			return { ok: false, problem: { kind: 'bad-ice', line: quoted(line) } };
		if (url.startsWith('turn') && (!username || !credential))
			return { ok: false, problem: { kind: 'turn-needs-login', url } };
		servers.push(username ? { urls: url, username, credential } : { urls: url });
	}
	return { ok: true, value: servers };
}

export function formatIceServers(servers: RTCIceServer[]): string {
	return servers
		.map((server) =>
			[[server.urls].flat().join(' '), server.username ?? '', String(server.credential ?? '')]
				.join(' ')
				.trim()
		)
		.join('\n');
}

/**
 * An online tile server: an http(s) XYZ template with {z}, {x} and {y}, e.g.
 * https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty turns online tiles off.
 */
export function parseTileUrl(text: string): Parsed<string> {
	const template = text.trim();
	if (template === '') return { ok: true, value: '' };
	let url: URL | null;
	try {
		url = new URL(template.replace(/\{[xyz]\}/g, '0'));
	} catch {
		url = null;
	}
	const hasAll = ['{z}', '{x}', '{y}'].every((part) => template.includes(part));
	if (!url || !/^https?:$/.test(url.protocol) || !hasAll)
		return { ok: false, problem: { kind: 'bad-tile-url' } };
	return { ok: true, value: template };
}
