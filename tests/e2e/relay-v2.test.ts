// The relay (#14, slice 5), with real Chromium devices and the relay as its
// own Node process: it verifies and judges like any peer, so a device's
// forged ledger overwrite is refused by the relay too (and its log says so);
// it keeps a space while its members are away, finds its room again after
// the signaling server restarts, keeps the signed logs across a crash, and a
// fresh device joins from the relay alone — refusing the forged change at
// the same place.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDevice, startServer } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
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
import {
	entryQuantity,
	FORGED_MARK,
	forgeLedgerWrite,
	holdsForgery,
	seeForgeryRefused
} from '../support/sync-v2';

const relayStart = fileURLToPath(new URL('../../server/relay-start.js', import.meta.url));

function startRelay(link: string, dataDir: string): RelayProcess {
	const invites = join(dataDir, 'invites');
	writeFileSync(invites, `${link}\n`);
	chmodSync(invites, 0o600);
	return spawnRelay(relayStart, ['--invites-file', invites, '--data', dataDir]);
}

async function waitOnDisk(dataDir: string, text: string): Promise<void> {
	await vi.waitFor(
		() => {
			if (!storedOnDisk(dataDir, text)) throw new Error(`${text} not on the relay’s disk yet`);
		},
		{ timeout: 15_000, interval: 50 }
	);
}

describe('the relay', () => {
	const suite = useServerAndBrowser();
	const dataDir = mkdtempSync(join(tmpdir(), 'barnraise-relay-v2-'));
	const relays: RelayProcess[] = [];
	afterAll(() => {
		for (const relay of relays) relay.child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('refuses a forged ledger overwrite, keeps a space while its members are away, and serves a fresh device alone after a crash', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Signed night shift');
		await post(a.page, { kind: 'need', title: 'Insulin cooler' });
		const link = await inviteLink(a.page);
		const author = await a.page.evaluate(() => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const bytes: Uint8Array = (globalThis as any).barnraise.session.signed.log.author;
			return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
		});

		const relay = startRelay(link, dataDir);
		relays.push(relay);
		await relay.waitFor(/peer joined/);
		await waitForPeers(a.page);
		await waitOnDisk(dataDir, 'Insulin cooler');
		// No member (it signs nothing), yet shown among those here, by its host.
		await a.page.getByTestId('present').filter({ hasText: 'Relay on' }).waitFor();

		// Ana records an entry, then her device turns hostile: it overwrites that entry, signed as hers.
		const entry = await forgeLedgerWrite(a.page);
		const refused = new RegExp(
			`refused change \\d+ of device ${author.slice(0, 8)}: it tried to change a supply entry \\(fact-changed\\)`
		);
		await relay.waitFor(refused);
		// Kept too, as evidence and so that others refuse it at the same place.
		await waitOnDisk(dataDir, FORGED_MARK);
		// Ana goes home; her phone is off.
		await a.context.close();
		await relay.waitFor(/peer left/);

		// The laptop running the signaling server reboots: the relay finds its room again by itself.
		const port = suite.server.port;
		await suite.server.stop();
		suite.server = await startServer(port);

		// Ben never met Ana: he gets her post from the relay, and what he posts is kept.
		const b = await openDevice(suite.browser, suite.server.url);
		await joinByInvite(b.page, link, 'Ben');
		await postCard(b.page, 'Insulin cooler').waitFor({ timeout: 30_000 });
		await post(b.page, { kind: 'offer', title: 'Ice packs' });
		await waitOnDisk(dataDir, 'Ice packs');
		await b.context.close();

		// The relay crashes and starts again from its disk.
		const exited = new Promise((resolve) => relay.child.once('exit', resolve));
		relay.child.kill('SIGKILL');
		await exited;
		const restarted = startRelay(link, dataDir);
		relays.push(restarted);
		await restarted.waitFor(/loaded \d+ signed changes of 2 devices from disk/);
		await restarted.waitFor(/stay refused from change \d+ \(fact-changed\)/);

		// Cleo never met Ana: everything comes from the relay.
		const c = await openDevice(suite.browser, suite.server.url, {
			viewport: { width: 360, height: 740 }
		});
		await joinByInvite(c.page, link, 'Cleo');
		await c.page.getByTestId('space-name').filter({ hasText: 'Signed night shift' }).waitFor({
			timeout: 30_000
		});
		await postCard(c.page, 'Insulin cooler').waitFor({ timeout: 30_000 });
		await postCard(c.page, 'Ice packs').waitFor({ timeout: 30_000 });
		// Cleo's device refuses the forged change too, and says whose device it was.
		await seeForgeryRefused(c.page, 'Ana’s device');
		expect(await holdsForgery(c.page)).toBe(false);
		expect(await entryQuantity(c.page, entry)).toBe(100);
		// The relay wrote nothing into y-webrtc's doc: Cleo's throwaway doc stays empty.
		const throwaway = await c.page.evaluate(() => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const session = (globalThis as any).barnraise.session;
			return session.provider.doc.store.clients.size;
		});
		expect(throwaway).toBe(0);
		await expect(c.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBe(360);
		expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
		await c.context.close();
		// Stopped as an organizer stops it: it writes what is waiting and exits cleanly.
		restarted.child.kill('SIGTERM');
		expect(await restarted.exited).toBe(0);
		expect(restarted.lines).toEqual(
			expect.arrayContaining([expect.stringMatching(/relay stopped$/)])
		);
	});
});
