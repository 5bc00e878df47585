import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
	chmodSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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

const relayStart = fileURLToPath(new URL('../../server/relay-start.js', import.meta.url));

interface Relay {
	process: ChildProcessWithoutNullStreams;
	lines: string[];
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

function startRelay(link: string, dataDir: string): Relay {
	// As the README says to: the link (it holds the space key) in a file only its owner reads.
	const invites = join(dataDir, 'invites');
	writeFileSync(invites, `${link}\n`);
	chmodSync(invites, 0o600);
	const child = spawn(process.execPath, [relayStart, '--invites-file', invites, '--data', dataDir]);
	const lines: string[] = [];
	createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
	createInterface({ input: child.stderr }).on('line', (line) => lines.push(`stderr: ${line}`));
	return {
		process: child,
		lines,
		async waitFor(pattern, timeoutMs = 30_000) {
			await vi.waitFor(
				() => {
					if (!lines.some((line) => pattern.test(line)))
						throw new Error(`relay never logged ${pattern}; it logged:\n${lines.join('\n')}`);
				},
				{ timeout: timeoutMs, interval: 50 }
			);
		}
	};
}

/**
 * Whether a file of the relay's store holds `text`: a Yjs update keeps strings
 * as UTF-8, and LevelDB's write-ahead log keeps values as written.
 */
function storedOnDisk(dataDir: string, text: string): boolean {
	const needle = Buffer.from(text, 'utf8');
	const store = join(dataDir, 'store');
	return readdirSync(store)
		.map((name) => join(store, name))
		.some((path) => statSync(path).isFile() && readFileSync(path).includes(needle));
}

async function stopRelay(relay: Relay, signal: NodeJS.Signals) {
	const exited = new Promise((resolve) => relay.process.once('exit', resolve));
	relay.process.kill(signal);
	await exited;
}

describe('relay peer', () => {
	let server: RunningServer;
	let browser: Browser;
	const dataDir = mkdtempSync(join(tmpdir(), 'barnraise-relay-'));
	const relays: Relay[] = [];

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const relay of relays) relay.process.kill('SIGKILL');
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('keeps a space while its members are away, and across its own restart', async () => {
		const a = await openDevice(browser, server.url);
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
		await joinByInvite(c.page, link, 'Cleo');
		await postCard(c.page, 'Insulin cooler').waitFor({ timeout: 30_000 });
		await postCard(c.page, 'Ice packs').waitFor({ timeout: 30_000 });
		await c.context.close();
		await stopRelay(restarted, 'SIGTERM');
	});
});
