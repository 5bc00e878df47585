import { describe, expect, it } from 'vitest';
import { unfamiliarServers, withoutServers } from './invite-servers.svelte';
import type { Invite } from '../sync/invite';

const invite = (signaling: string[]): Invite => ({ key: new Uint8Array(32), name: 'S', signaling });

describe('servers an invite names', () => {
	it('asks about a server this device does not use, and not about its own or known ones', () => {
		const found = unfamiliarServers(
			invite([
				'ws://app.local:8080/signal',
				'wss://known.example/signal',
				'wss://KNOWN.example:443/signal',
				'wss://logger.example/signal'
			]),
			['wss://known.example/signal'],
			'app.local:8080'
		);
		expect(found).toEqual(['wss://logger.example/signal']);
	});

	it('drops refused servers and keeps the rest', () => {
		const given = invite(['wss://a.example/s', 'wss://b.example/s']);
		expect(withoutServers(given, ['wss://b.example/s']).signaling).toEqual(['wss://a.example/s']);
		expect(given.signaling).toHaveLength(2);
	});
});
