// The relay links with the app's own provider, whose channels carry no
// y-webrtc sync at all (the space crosses as signed entries): a Yjs update
// sent the way y-webrtc would, whole or one Yjs would apply halfway, is
// dropped unread and never kept; a message y-webrtc could not read is
// refused and said in its log; no message may stop the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAppServer } from '../server/app-server.js';
import { makeInviteLink } from '../src/lib/sync/invite';
import { generateSpaceKey } from '../src/lib/sync/keys';
import {
	halfUpdate,
	meshSyncMessage,
	startMeshPeer,
	type MeshPeer
} from '../tests/support/mesh-peer-process';
import { spawnRelay, storedOnDisk, type RelayProcess } from '../tests/support/relay-process';

const runner = fileURLToPath(new URL('./run-from-source.js', import.meta.url));

describe('a relay and malformed messages from a member', () => {
	let stopServer: () => Promise<unknown>;
	let signalUrl: string;
	let relay: RelayProcess;
	let member: MeshPeer;
	const dataDir = mkdtempSync(join(tmpdir(), 'barnraise-mesh-input-'));

	beforeAll(async () => {
		const app = createAppServer({ buildDir: 'static', log: () => {} });
		stopServer = app.close;
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = app.server.address() as import('node:net').AddressInfo;
		signalUrl = `ws://127.0.0.1:${port}/signal`;
	});
	afterAll(async () => {
		member?.stop();
		relay?.child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
		await stopServer?.();
	});

	it('drops Yjs updates unread, refuses an unreadable message, says so, and keeps running', async () => {
		const link = makeInviteLink('barnraise:', {
			key: generateSpaceKey(),
			name: 'Mesh input',
			signaling: [signalUrl]
		});
		relay = spawnRelay(runner, ['--invites-stdin', '--data', dataDir], `${link}\n`);
		await relay.waitFor(/relay running/);
		member = startMeshPeer(signalUrl, link);
		await member.linked();
		await relay.waitFor(/peer joined/);

		await member.send(meshSyncMessage('update', halfUpdate('HALF-APPLIED-MARKER')));
		const whole = new Y.Doc();
		whole.getMap('notes').set('after', 'WHOLE-UPDATE-MARKER');
		await member.send(meshSyncMessage('update', Y.encodeStateAsUpdate(whole)));
		// Dropped unread, without a word: nothing refused, and the link stays.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(relay.lines.filter((line) => /refused|link closed/.test(line))).toEqual([]);

		// An empty message, which y-webrtc's reader would throw on, is refused and said.
		await member.send(new Uint8Array(0));
		await relay.waitFor(
			/refused a message from a member’s device: a message that could not be read/
		);
		expect(relay.child.exitCode, relay.lines.join('\n')).toBeNull();
		await relay.waitFor(/relay running/);
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);
		expect(storedOnDisk(dataDir, 'WHOLE-UPDATE-MARKER')).toBe(false);
		expect(storedOnDisk(dataDir, 'HALF-APPLIED-MARKER')).toBe(false);
	}, 120_000);
});
