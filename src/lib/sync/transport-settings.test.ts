import { describe, expect, it } from 'vitest';
import {
	formatIceServers,
	parseIceServers,
	parseSignalingList,
	parseTileUrl
} from './transport-settings';

describe('transport settings', () => {
	it('accepts WebSocket signaling URLs, one per line, without duplicates', () => {
		expect(
			parseSignalingList(
				' ws://10.0.0.2:8080/signal \n\nwss://relay.example/signal\nws://10.0.0.2:8080/signal'
			)
		).toEqual({
			ok: true,
			value: ['ws://10.0.0.2:8080/signal', 'wss://relay.example/signal']
		});
	});

	it('takes the address npm start prints, and names a line that is no address', () => {
		expect(parseSignalingList('192.168.1.20:8080\nhttps://laptop.local:8443')).toEqual({
			ok: true,
			value: ['ws://192.168.1.20:8080/signal', 'wss://laptop.local:8443/signal']
		});
		const result = parseSignalingList('ws://ok/signal\nftp://nope');
		expect(result).toEqual({ ok: false, problem: { kind: 'bad-signaling', line: 'ftp://nope' } });
	});

	it('parses STUN and TURN servers and round-trips them', () => {
		const text = 'stun:10.0.0.1:3478\nturn:10.0.0.1:3478 volunteer s3cret';
		const result = parseIceServers(text);
		expect(result).toEqual({
			ok: true,
			value: [
				{ urls: 'stun:10.0.0.1:3478' },
				{ urls: 'turn:10.0.0.1:3478', username: 'volunteer', credential: 's3cret' }
			]
		});
		if (result.ok) expect(formatIceServers(result.value)).toBe(text);
	});

	it('explains a TURN server without credentials and junk lines', () => {
		expect(parseIceServers('turn:host:3478')).toEqual({
			ok: false,
			problem: { kind: 'turn-needs-login', url: 'turn:host:3478' }
		});
		expect(parseIceServers(' https://x ')).toEqual({
			ok: false,
			problem: { kind: 'bad-ice', line: 'https://x' }
		});
	});
});

describe('online tile address', () => {
	it('is off when empty, and must be an http(s) XYZ template', () => {
		expect(parseTileUrl('  ')).toEqual({ ok: true, value: '' });
		expect(parseTileUrl(' https://tile.openstreetmap.org/{z}/{x}/{y}.png ')).toEqual({
			ok: true,
			value: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
		});
		for (const bad of [
			'tile.openstreetmap.org/{z}/{x}/{y}.png',
			'https://t/{z}/{x}.png',
			'ftp://t/{z}/{x}/{y}'
		])
			expect(parseTileUrl(bad)).toEqual({ ok: false, problem: { kind: 'bad-tile-url' } });
	});
});
