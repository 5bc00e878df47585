// Twelve sync v2 devices open one space at once over real WebRTC (Node
// peers, @roamhq/wrtc, each in its own process with the app's provider and
// engine): y-webrtc alone would link each to all eleven others, since it
// takes every offer. With the bounded mesh each holds at most 8 links, the
// links still join everyone into one graph, and a post reaches every board.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppServer } from '../../../../server/app-server.js';
import {
	isLinkGraphConnected,
	startV2MeshPeer,
	type V2MeshPeer
} from '../../../../tests/support/v2-mesh-peer-process';
import { MESH_CAP } from '../bounded-mesh';
import { makeInviteLink } from '../invite';
import { generateSpaceKey } from '../keys';

const DEVICES = 12;

describe('a room of twelve sync v2 devices', () => {
	let stopServer: () => Promise<unknown>;
	let signalUrl: string;
	const peers: V2MeshPeer[] = [];

	beforeAll(async () => {
		const app = createAppServer({ buildDir: 'static', log: () => {} });
		stopServer = app.close;
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = app.server.address() as import('node:net').AddressInfo;
		signalUrl = `ws://127.0.0.1:${port}/signal`;
	});
	afterAll(async () => {
		for (const peer of peers) peer.stop();
		await stopServer?.();
	});

	it('keeps every device within the cap, links everyone, and carries a post to all', async () => {
		const link = makeInviteLink('barnraise:', {
			key: generateSpaceKey(),
			name: 'Bounded mesh',
			signaling: [signalUrl]
		});
		for (let i = 0; i < DEVICES; i++) peers.push(startV2MeshPeer(signalUrl, link, 2_000));
		const states = () => peers.map((peer) => peer.latest);
		const diagnose = () =>
			states()
				.map(
					(state) =>
						`${state.peer?.slice(0, 8)} links ${state.links.length} max ${state.maxConns} posts ${state.posts.length}`
				)
				.join('\n') + peers.flatMap((peer) => peer.lines).join('\n');

		await vi.waitFor(
			() => {
				const all = states();
				if (!all.every((state) => state.links.length >= 2) || !isLinkGraphConnected(all))
					throw new Error(`not linked yet:\n${diagnose()}`);
			},
			{ timeout: 90_000, interval: 250 }
		);
		peers[0]!.post('Water for the shelter');
		await vi.waitFor(
			() => {
				if (!states().every((state) => state.posts.includes('Water for the shelter')))
					throw new Error(`the post has not reached every board:\n${diagnose()}`);
			},
			{ timeout: 60_000, interval: 250 }
		);
		// Presence came as PRESENCE: each device holds at least its links' devices as here.
		await vi.waitFor(
			() => {
				if (!states().every((state) => (state.here ?? 0) >= state.links.length))
					throw new Error(`presence has not reached every link yet:\n${diagnose()}`);
			},
			{ timeout: 30_000, interval: 250 }
		);
		for (const state of states()) {
			expect(state.maxConns, diagnose()).toBeLessThanOrEqual(MESH_CAP);
			expect(state.links.length).toBeLessThanOrEqual(MESH_CAP);
		}
		// Not a full mesh: the cap held where y-webrtc would have linked all pairs.
		const links = states().reduce((sum, state) => sum + state.links.length, 0) / 2;
		expect(links).toBeLessThan((DEVICES * (DEVICES - 1)) / 2);
	}, 240_000);
});
