import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSignalingUrl, readNetworkOrigins, signalingUrlFrom } from './addresses';

describe('signaling addresses people type', () => {
	it.each([
		['192.168.1.20:8080', 'ws://192.168.1.20:8080/signal'],
		['http://192.168.1.20:8080', 'ws://192.168.1.20:8080/signal'],
		['http://192.168.1.20:8080/', 'ws://192.168.1.20:8080/signal'],
		['https://laptop.local:8443', 'wss://laptop.local:8443/signal'],
		['ws://10.0.0.2:8080/signal', 'ws://10.0.0.2:8080/signal'],
		['wss://relay.example/signal', 'wss://relay.example/signal'],
		['  raspberrypi.local:8080  ', 'ws://raspberrypi.local:8080/signal'],
		['http://[fe80::1]:8080', 'ws://[fe80::1]:8080/signal']
	])('%s → %s', (input, expected) => {
		expect(signalingUrlFrom(input)).toBe(expected);
		expect(isSignalingUrl(expected)).toBe(true);
	});

	it.each(['', 'not an address', 'ftp://host/x', 'http://user:pw@host:8080', 'host:99999'])(
		'refuses %j',
		(input) => {
			expect(signalingUrlFrom(input)).toBeNull();
		}
	);
});

describe('a pasted invite link is not a signaling address', () => {
	it('refuses links with a fragment, a query or the join page', () => {
		for (const text of [
			'http://192.168.1.20:8080/join#k=abc&n=Eastside',
			'http://192.168.1.20:8080/join',
			'http://192.168.1.20:8080/?x=1',
			'ws://192.168.1.20:8080/signal#k=abc'
		])
			expect(signalingUrlFrom(text), text).toBeNull();
		expect(signalingUrlFrom('http://192.168.1.20:8080/barnraise/')).toBe(
			'ws://192.168.1.20:8080/barnraise/signal'
		);
	});
});

describe('isLoopbackHost', () => {
	it('knows the names only this device answers to', () => {
		for (const host of [
			'localhost',
			'LOCALHOST',
			'app.localhost',
			'127.0.0.1',
			'127.1.2.3',
			'::1',
			'[::1]'
		])
			expect(isLoopbackHost(host), host).toBe(true);
		for (const host of [
			'192.168.1.20',
			'barnraise.test',
			'10.0.0.1',
			'localhost.example.org',
			'1127.0.0.1'
		])
			expect(isLoopbackHost(host), host).toBe(false);
	});
});

describe('readNetworkOrigins', () => {
	const page = { protocol: 'http:', port: '8080' };
	const ours = (origins: unknown[]) => ({ app: 'barnraise', origins });

	it('keeps local-network origins of this server, best first, once each', () => {
		expect(
			readNetworkOrigins(
				ours([
					'http://172.17.0.1:8080',
					'http://100.101.1.2:8080',
					'http://10.0.0.5:8080/path',
					'http://192.168.1.20:8080',
					'http://192.168.1.20:8080/',
					'http://localhost:8080',
					'ws://192.168.1.20:8080/signal',
					'javascript:alert(1)',
					42,
					'not a url'
				]),
				page
			)
		).toEqual([
			'http://192.168.1.20:8080',
			'http://10.0.0.5:8080',
			'http://100.101.1.2:8080',
			'http://172.17.0.1:8080'
		]);
	});

	it('never offers a public site, another port or another scheme, whatever answered', () => {
		expect(
			readNetworkOrigins(
				ours([
					'https://evil.example',
					'http://evil.example:8080',
					'http://8.8.8.8:8080',
					'http://192.168.1.20:9999',
					'https://192.168.1.20:8080'
				]),
				page
			)
		).toEqual([]);
		expect(readNetworkOrigins(ours(['http://barnraise.test:8080']), page)).toEqual([
			'http://barnraise.test:8080'
		]);
		expect(readNetworkOrigins(ours(['http://laptop.local:8080']), page)).toEqual([
			'http://laptop.local:8080'
		]);
	});

	it('reads anything but our own answer as no addresses', () => {
		for (const body of [
			null,
			'http://192.168.1.20',
			[],
			{ origins: ['http://192.168.1.20:8080'] },
			ours('x' as unknown as unknown[]),
			{},
			'<!doctype html>'
		])
			expect(readNetworkOrigins(body, page)).toEqual([]);
	});

	it('offers a bounded number', () => {
		const origins = Array.from({ length: 100 }, (_, i) => `http://10.0.0.${i + 1}:8080`);
		expect(readNetworkOrigins(ours(origins), page)).toHaveLength(16);
	});
});
