import { describe, expect, it } from 'vitest';
import { isSignalingUrl, signalingUrlFrom } from './addresses';

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
