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
	it('keeps http(s) origins other devices can reach, once each', () => {
		expect(
			readNetworkOrigins({
				origins: [
					'http://192.168.1.20:8080',
					'http://192.168.1.20:8080/',
					'https://10.0.0.5:8443/path',
					'http://localhost:8080',
					'ws://192.168.1.20:8080/signal',
					'javascript:alert(1)',
					42,
					'not a url'
				]
			})
		).toEqual(['http://192.168.1.20:8080', 'https://10.0.0.5:8443']);
	});

	it('reads anything else as no addresses', () => {
		for (const body of [null, 'http://192.168.1.20', [], { origins: 'x' }, {}, '<!doctype html>'])
			expect(readNetworkOrigins(body)).toEqual([]);
	});

	it('offers a bounded number', () => {
		const origins = Array.from({ length: 100 }, (_, i) => `http://10.0.0.${i + 1}:8080`);
		expect(readNetworkOrigins({ origins })).toHaveLength(16);
	});
});
