import { describe, expect, it, vi } from 'vitest';
import { InviteAddress } from './invite-address.svelte';

function answer(body: unknown, contentType = 'application/json'): typeof fetch {
	return vi.fn(
		async () => new Response(JSON.stringify(body), { headers: { 'content-type': contentType } })
	);
}

describe('InviteAddress', () => {
	it('keeps a page address other devices can reach, without asking', () => {
		const fetcher = vi.fn();
		const address = new InviteAddress(
			{
				origin: 'http://192.168.1.20:8080',
				hostname: '192.168.1.20',
				protocol: 'http:',
				port: '8080'
			},
			fetcher
		);
		expect(address.state).toEqual({ kind: 'page' });
		expect(address.chosen).toBe('http://192.168.1.20:8080');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('at localhost, uses the first network address the server names, and lets one be picked', async () => {
		const address = new InviteAddress(
			{ origin: 'http://localhost:8080', hostname: 'localhost', protocol: 'http:', port: '8080' },
			answer({ app: 'barnraise', origins: ['http://192.168.1.20:8080', 'http://10.0.0.5:8080'] })
		);
		expect(address.state.kind).toBe('asking');
		await vi.waitFor(() => expect(address.state.kind).toBe('network'));
		expect(address.chosen).toBe('http://192.168.1.20:8080');
		address.choose('http://10.0.0.5:8080');
		expect(address.chosen).toBe('http://10.0.0.5:8080');
		address.choose('http://evil.example');
		expect(address.chosen).toBe('http://10.0.0.5:8080');
		address.choose('http://localhost:8080');
		expect(address.chosen).toBe('http://localhost:8080');
	});

	it('says local-only when the server knows no address, or answers with a page', async () => {
		for (const fetcher of [
			answer({ app: 'barnraise', origins: [] }),
			answer({ app: 'barnraise', origins: ['https://evil.example'] }),
			answer('<!doctype html>', 'text/html'),
			vi.fn(async () => {
				throw new TypeError('offline');
			})
		]) {
			const address = new InviteAddress(
				{ origin: 'http://127.0.0.1:8080', hostname: '127.0.0.1', protocol: 'http:', port: '8080' },
				fetcher
			);
			await vi.waitFor(() => expect(address.state.kind).toBe('local-only'));
			expect(address.chosen).toBe('http://127.0.0.1:8080');
		}
	});
});
