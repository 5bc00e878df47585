import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadOrCreateCertificate } from '../../server/tls.js';
import {
	buildDir,
	launchBrowser,
	openDevice,
	startServer,
	type RunningServer
} from '../support/harness';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard,
	waitForPeers
} from '../support/flows';

// `npm start -- --https`: a phone that accepted the self-signed certificate
// is in a secure context on the LAN address, and signaling runs over wss:.
describe('serving over HTTPS with a self-signed certificate', () => {
	let server: RunningServer;
	let browser: Browser;
	const certDir = mkdtempSync(join(tmpdir(), 'barnraise-e2e-tls-'));

	beforeAll(async () => {
		const tls = await loadOrCreateCertificate(certDir, ['127.0.0.1']);
		server = await startServer(0, buildDir, tls);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(certDir, { recursive: true, force: true });
	});

	it('is a secure context on a non-localhost name, and two devices sync over wss', async () => {
		// barnraise.test maps to 127.0.0.1: like a LAN address, not "localhost".
		const accepted = { ignoreHTTPSErrors: true };
		const a = await openDevice(browser, server.insecureUrl, accepted);
		await expect(a.page.evaluate(() => [isSecureContext, typeof crypto.subtle])).resolves.toEqual([
			true,
			'object'
		]);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Secure shelter');
		const link = await inviteLink(a.page);
		expect(link.startsWith('https://')).toBe(true);
		await expect(
			a.page.evaluate(
				() =>
					(globalThis as unknown as { barnraise: { connection: { signalingUrls: string[] } } })
						.barnraise.connection.signalingUrls[0]
			)
		).resolves.toMatch(/^wss:\/\/barnraise\.test:\d+\/signal$/);

		const b = await openDevice(browser, server.insecureUrl, accepted);
		await joinByInvite(b.page, link, 'Ben');
		await waitForPeers(a.page);
		await post(b.page, { kind: 'offer', title: 'Spare phone chargers' });
		await postCard(a.page, 'Spare phone chargers').waitFor();
		await a.context.close();
		await b.context.close();
	});
});
