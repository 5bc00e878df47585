// A member's device (the app's own provider in Node, over real WebRTC) sends
// a phone Yjs updates the way y-webrtc's own sync would, a damaged one and a
// whole one. The space syncs only as signed log entries, and y-webrtc on the
// phone syncs a throwaway doc, so neither is taken anywhere: not into the
// space, not into the throwaway doc (which a member could otherwise fill
// without end, and y-webrtc would pass on to every link); the link stays up
// with nothing to report. At 360 px.
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDevice } from '../support/harness';
import { createSpace, inviteLink, pickName, waitForPeers } from '../support/flows';
import {
	halfUpdate,
	meshSyncMessage,
	startMeshPeer,
	type MeshPeer
} from '../support/mesh-peer-process';
import { overflowing, PHONE } from '../support/phone';
import { useServerAndBrowser } from '../support/suite';

/** A whole update putting one post under `key`, as a device on y-webrtc's own sync would send. */
function wholeUpdate(key: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('posts').set(key, 'unsigned');
	return Y.encodeStateAsUpdate(doc);
}

describe('Yjs updates from a member’s device over the mesh, outside signed sync', () => {
	const suite = useServerAndBrowser();
	const peers: MeshPeer[] = [];
	afterAll(() => {
		for (const peer of peers) peer.stop();
	});

	it('are taken into no doc, and the link stays up', async () => {
		const { page, errors } = await openDevice(suite.browser, suite.server.url, PHONE);
		await pickName(page, 'Ana');
		await createSpace(page, 'Shelter');
		const link = await inviteLink(page);
		await page.getByRole('button', { name: 'Invite', exact: true }).click();
		const member = startMeshPeer(
			`ws://127.0.0.1:${suite.server.port}/signal`,
			link,
			'member-mesh-0001'
		);
		peers.push(member);
		await member.linked();
		await waitForPeers(page);
		await page.getByRole('button', { name: 'Links', exact: true }).click();
		await page
			.locator('[data-testid="links"] tr[data-transport="mesh"][data-state="linked"]')
			.waitFor();

		await member.send(meshSyncMessage('update', halfUpdate('HALF-APPLIED-MARKER')));
		await member.send(meshSyncMessage('update', wholeUpdate('post-unsigned')));
		await member.send(meshSyncMessage('step2', wholeUpdate('post-unsigned-2')));
		// Time for them to arrive, and for anything they would do.
		await page.waitForTimeout(2_000);
		const held = await page.evaluate(() => {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const session = (globalThis as any).barnraise.session;
			return {
				space: [...session.doc.getMap('posts').keys()] as string[],
				throwaway: session.provider.doc.store.clients.size as number
			};
		});
		expect(held).toEqual({ space: [], throwaway: 0 });
		const row = page.locator('[data-testid="links"] tr[data-transport="mesh"]');
		await expect(row.getAttribute('data-state')).resolves.toBe('linked');
		expect(await row.locator('[data-problem]').count()).toBe(0);
		expect(await overflowing(page)).toEqual([]);
		expect(errors).toEqual([]);
	}, 90_000);
});
