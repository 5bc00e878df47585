import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppServer } from './app-server.js';
import { loadOrCreateCertificate } from './tls.js';

const dir = mkdtempSync(join(tmpdir(), 'barnraise-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('self-signed certificate for --https', () => {
	it('is made once, kept private, and reused', async () => {
		const first = await loadOrCreateCertificate(dir, ['127.0.0.1', '192.0.2.10']);
		expect(first.created).toBe(true);
		expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		expect(statSync(join(dir, 'key.pem')).mode & 0o077).toBe(0);
		const second = await loadOrCreateCertificate(dir, ['127.0.0.1', '192.0.2.10']);
		expect(second).toMatchObject({ created: false, fingerprint: first.fingerprint });
	});

	it('is replaced when the machine has an address it does not name', async () => {
		const before = await loadOrCreateCertificate(dir, ['127.0.0.1']);
		const after = await loadOrCreateCertificate(dir, ['127.0.0.1', '198.51.100.7']);
		expect(after.created).toBe(true);
		expect(after.fingerprint).not.toBe(before.fingerprint);
	});

	it('serves the app over HTTPS and signaling over wss on the same port', async () => {
		const tls = await loadOrCreateCertificate(dir, ['127.0.0.1']);
		const { server, close } = createAppServer({ buildDir: 'static', log: () => {}, tls });
		await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
		try {
			const status = await new Promise((resolve, reject) => {
				get({ host: '127.0.0.1', port, path: '/favicon.svg', rejectUnauthorized: false }, (res) => {
					res.resume();
					resolve(res.statusCode);
				}).on('error', reject);
			});
			expect(status).toBe(200);
			const socket = new WebSocket(`wss://127.0.0.1:${port}/signal`, { rejectUnauthorized: false });
			const reply = await new Promise((resolve, reject) => {
				socket.on('open', () => socket.send(JSON.stringify({ type: 'ping' })));
				socket.on('message', (data) => resolve(JSON.parse(data.toString())));
				socket.on('error', reject);
			});
			expect(reply).toEqual({ type: 'pong' });
			socket.close();
		} finally {
			await close();
		}
	});
});
