// The relay on today's sync (y-webrtc's own), with devices kept on it: it
// goes with today's sync. The relay on sync v2 is relay-v2.test.ts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openDevice, startServer, type RunningServer } from '../support/harness';
import {
	createSpace,
	inviteLink,
	joinByInvite,
	pickName,
	post,
	postCard,
	waitForPeers
} from '../support/flows';
import { spawnRelay, storedOnDisk, type RelayProcess } from '../support/relay-process';
import { switchOffV2 } from '../support/sync-v2';

const relayStart = fileURLToPath(new URL('../../server/relay-start.js', import.meta.url));

function startRelay(link: string, dataDir: string): RelayProcess {
	// As the README says to: the link (it holds the space key) in a file only its owner reads.
	const invites = join(dataDir, 'invites');
	writeFileSync(invites, `${link}\n`);
	chmodSync(invites, 0o600);
	return spawnRelay(relayStart, ['--invites-file', invites, '--data', dataDir]);
}

async function stopRelay(relay: RelayProcess, signal: NodeJS.Signals) {
	const exited = new Promise((resolve) => relay.child.once('exit', resolve));
	relay.child.kill(signal);
	await exited;
}

describe('relay peer', () => {
	let server: RunningServer;
	let browser: Browser;
	const dataDir = mkdtempSync(join(tmpdir(), 'barnraise-relay-'));
	const relays: RelayProcess[] = [];

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const relay of relays) relay.child.kill('SIGKILL');
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('keeps a space while its members are away, and across its own restart', async () => {
		const a = await openDevice(browser, server.url);
		await switchOffV2(a.page);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Night shift');
		await post(a.page, { kind: 'need', title: 'Insulin cooler' });
		const link = await inviteLink(a.page);

		const relay = startRelay(link, dataDir);
		relays.push(relay);
		await relay.waitFor(/peer joined/);
		await relay.waitFor(/synced with all linked peers/);
		await waitForPeers(a.page);
		await a.page.getByTestId('present').filter({ hasText: 'Relay on' }).waitFor();
		// Ana goes home; her phone is off.
		await a.context.close();
		await relay.waitFor(/peer left/);

		// The laptop running the signaling server reboots: the relay reconnects by itself.
		const port = server.port;
		await server.stop();
		server = await startServer(port);

		// Ben never met Ana; he gets her post from the relay.
		const b = await openDevice(browser, server.url);
		await switchOffV2(b.page);
		await joinByInvite(b.page, link, 'Ben');
		await postCard(b.page, 'Insulin cooler').waitFor({ timeout: 30_000 });
		await post(b.page, { kind: 'offer', title: 'Ice packs' });
		await relay.waitFor(/synced with all linked peers/);
		// Once Ben's post is in the relay's files on disk, crash it.
		await vi.waitFor(
			() => {
				if (!storedOnDisk(dataDir, 'Ice packs')) throw new Error('not on the relay’s disk yet');
			},
			{ timeout: 15_000, interval: 50 }
		);
		await b.context.close();
		await stopRelay(relay, 'SIGKILL');

		const restarted = startRelay(link, dataDir);
		relays.push(restarted);
		await restarted.waitFor(/loaded \d+ updates from disk/);
		const c = await openDevice(browser, server.url);
		await switchOffV2(c.page);
		await joinByInvite(c.page, link, 'Cleo');
		await postCard(c.page, 'Insulin cooler').waitFor({ timeout: 30_000 });
		await postCard(c.page, 'Ice packs').waitFor({ timeout: 30_000 });
		await c.context.close();
		await stopRelay(restarted, 'SIGTERM');
	});
});
