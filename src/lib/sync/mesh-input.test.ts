// What a device does with a malformed update from a member over a real mesh
// link (@roamhq/wrtc, the app's own provider on both ends): Yjs would apply
// the update halfway and then throw, so it must be refused whole, the link
// closed, and the refusal told to whoever watches the space's links.
import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { WebrtcProvider } from 'y-webrtc';
import { createAppServer } from '../../../server/app-server.js';
import {
	halfUpdate,
	meshSyncMessage,
	startMeshPeer,
	type MeshPeer
} from '../../../tests/support/mesh-peer-process';
import type { WrtcImplementation } from './chunked-wrtc';
import { makeInviteLink } from './invite';
import { deriveSpaceSecrets, generateSpaceKey } from './keys';
import { LinkLog } from './link-log';
import { LinkWatch } from './link-watch';
import { LinkWatchdog, type WatchedProvider } from './link-watchdog';
import { createSpaceProvider, onMeshProblem, type MeshProblem } from './provider';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

describe('a malformed update over a mesh link', () => {
	let stopServer: () => Promise<unknown>;
	let signalUrl: string;
	const peers: MeshPeer[] = [];
	const cleanups: (() => void)[] = [];

	beforeAll(async () => {
		const app = createAppServer({ buildDir: 'static', log: () => {} });
		stopServer = app.close;
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = app.server.address() as import('node:net').AddressInfo;
		signalUrl = `ws://127.0.0.1:${port}/signal`;
	});
	afterAll(async () => {
		for (const peer of peers) peer.stop();
		for (const cleanup of cleanups) cleanup();
		await stopServer?.();
	});

	/** This device, in the test's process, in a fresh space; and a member's device linked to it. */
	async function linkedPair() {
		const key = generateSpaceKey();
		const doc = new Y.Doc();
		const provider: WebrtcProvider = createSpaceProvider(deriveSpaceSecrets(key), doc, {
			signaling: [signalUrl],
			iceServers: [],
			wrtc: wrtc as unknown as WrtcImplementation
		});
		const watchdog = new LinkWatchdog(provider as unknown as WatchedProvider);
		// What the links list reads.
		const log = new LinkLog({ load: () => [], save: () => {} });
		const watch = new LinkWatch(provider, log, () => {});
		cleanups.push(() => {
			watch.destroy();
			watchdog.destroy();
			provider.disconnect();
			provider.destroy();
		});
		const member = startMeshPeer(
			signalUrl,
			makeInviteLink('barnraise:', { key, name: '', signaling: [] })
		);
		peers.push(member);
		await member.linked();
		return { doc, provider, member, log };
	}

	/** Send `message`, wait until this device has reported one more problem, and return it. */
	async function sendRefused(member: MeshPeer, problems: MeshProblem[], message: Uint8Array) {
		const before = problems.length;
		await member.send(message);
		await vi.waitFor(() => expect(problems.length).toBe(before + 1), { timeout: 10_000 });
		return problems.at(-1);
	}

	it.each(['update', 'step2'] as const)(
		'as a sync %s: refused whole, never half applied, and the link closed and reported',
		async (kind) => {
			const { doc, provider, member, log } = await linkedPair();
			const updates: Uint8Array[] = [];
			doc.on('update', (update: Uint8Array) => updates.push(update));
			const problems: MeshProblem[] = [];
			onMeshProblem(provider, (problem) => problems.push(problem));

			const problem = await sendRefused(
				member,
				problems,
				meshSyncMessage(kind, halfUpdate('HALF-APPLIED-MARKER'))
			);
			expect(doc.getMap('posts').toJSON()).toEqual({});
			expect(updates.some((update) => Buffer.from(update).includes('HALF-APPLIED-MARKER'))).toBe(
				false
			);
			expect(problem).toEqual({
				linkId: expect.any(String),
				problem: { kind: 'broken-update' },
				closedLink: true
			});
			// The links list shows it on that device's row (unnamed: this member sent no presence).
			expect(log.records().find((record) => record.peer === problem?.linkId)?.problem).toEqual({
				kind: 'broken-update',
				at: expect.any(Number)
			});
			await member.unlinked();
		},
		60_000
	);

	it('links again after a refusal, and whole updates go through', async () => {
		const { doc, provider, member } = await linkedPair();
		const problems: MeshProblem[] = [];
		onMeshProblem(provider, (problem) => problems.push(problem));
		await sendRefused(member, problems, meshSyncMessage('update', halfUpdate('HALF')));
		await member.unlinked();
		await member.linked();
		const good = new Y.Doc();
		good.getMap('notes').set('after', 'a whole update');
		await member.send(meshSyncMessage('update', Y.encodeStateAsUpdate(good)));
		await vi.waitFor(() => expect(doc.getMap('notes').get('after')).toBe('a whole update'), {
			timeout: 10_000
		});
		expect(doc.getMap('posts').toJSON()).toEqual({});
	}, 60_000);

	it('refuses an empty message, which y-webrtc would throw on out of the channel', async () => {
		const { doc, provider, member } = await linkedPair();
		const problems: MeshProblem[] = [];
		onMeshProblem(provider, (problem) => problems.push(problem));
		const problem = await sendRefused(member, problems, new Uint8Array(0));
		expect(problem?.problem).toEqual({ kind: 'unreadable-message' });
		expect(doc.share.size).toBe(0);
	}, 60_000);
});
