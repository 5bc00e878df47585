import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, NETWORK_ORIGINS_PATH } from './app-server.js';

const dir = mkdtempSync(join(tmpdir(), 'barnraise-app-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
/** @type {ReturnType<typeof createAppServer>} */
let app;
let port = 0;

beforeAll(async () => {
	app = createAppServer({
		buildDir: dir,
		log: () => {},
		networkOrigins: () => ['http://192.168.1.20:8080']
	});
	await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
	port = /** @type {import('node:net').AddressInfo} */ (app.server.address()).port;
});
afterAll(async () => {
	await app.close();
	rmSync(dir, { recursive: true, force: true });
});

/** @param {string} host the Host header to send */
function askOrigins(host) {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, path: NETWORK_ORIGINS_PATH, headers: { host } },
			(res) => {
				let body = '';
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => resolve({ type: res.headers['content-type'], body }));
			}
		);
		req.on('error', reject);
		req.end();
	});
}

describe('the network addresses a page at localhost asks for', () => {
	it('are told to a page opened on this machine', async () => {
		for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
			const answer = await askOrigins(host);
			expect(answer).toMatchObject({ type: 'application/json' });
			expect(JSON.parse(answer.body)).toEqual({
				app: 'barnraise',
				origins: ['http://192.168.1.20:8080']
			});
		}
	});

	it('are not told to a page of another name (DNS rebinding): it gets the app instead', async () => {
		for (const host of ['evil.example', `evil.example:${port}`, `192.168.1.20:${port}`]) {
			const answer = await askOrigins(host);
			expect(answer.body).not.toContain('192.168.1.20:8080');
			expect(answer.type).not.toBe('application/json');
		}
	});
});
