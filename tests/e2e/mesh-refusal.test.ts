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
import { V2_PREFIX } from '../../src/lib/sync/chunked-channel';
import { buildChain } from '../../src/lib/sync/v2/chain.test-helper';
import { generateDeviceKey, signHead } from '../../src/lib/sync/v2/head';
import { encodeMessage } from '../../src/lib/sync/v2/messages';
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

	/** A phone's new space, a member's device linked to it on the mesh, and the phone's links list open. */
	async function phoneAndMember(memberId: string) {
		const phone = await openDevice(suite.browser, suite.server.url, PHONE);
		const { page } = phone;
		await pickName(page, 'Ana');
		await createSpace(page, 'Shelter');
		const link = await inviteLink(page);
		await page.getByRole('button', { name: 'Invite', exact: true }).click();
		const member = startMeshPeer(`ws://127.0.0.1:${suite.server.port}/signal`, link, memberId);
		peers.push(member);
		await member.linked();
		await waitForPeers(page);
		await page.getByRole('button', { name: 'Links', exact: true }).click();
		const row = page.locator('[data-testid="links"] tr[data-transport="mesh"]');
		await row.and(page.locator('[data-state="linked"]')).waitFor();
		return { ...phone, member, row };
	}

	it('are taken into no doc, and the link stays up', async () => {
		const { page, errors, member, row } = await phoneAndMember('member-mesh-0001');

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
		await expect(row.getAttribute('data-state')).resolves.toBe('linked');
		expect(await row.locator('[data-problem]').count()).toBe(0);
		expect(await overflowing(page)).toEqual([]);
		expect(errors).toEqual([]);
	}, 90_000);

	it('signed entries that do not verify: none taken, and the person is told on that link', async () => {
		const { page, errors, member, row } = await phoneAndMember('member-mesh-0002');

		// An author's first entry, its head signed by another key: a forgery.
		const chain = buildChain(1, 'forged');
		const head = {
			...signHead(generateDeviceKey(), 1, chain.hashes[0]!),
			author: chain.key.author
		};
		const forged = encodeMessage({
			type: 'entries',
			author: chain.key.author,
			head,
			entries: chain.entries
		});
		const frame = new Uint8Array(forged.length + 1);
		frame[0] = V2_PREFIX;
		frame.set(forged, 1);
		await member.send(frame);

		const problem = row.locator('[data-problem="refused-entries"]');
		await problem.waitFor({ timeout: 15_000 });
		expect(await problem.textContent()).toContain('failed this device’s checks');
		const held = await page.evaluate(
			(forger) =>
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				((globalThis as any).barnraise.session.signed.engine.vector() as { author: Uint8Array }[])
					.map(({ author }) => [...author].map((b) => b.toString(16).padStart(2, '0')).join(''))
					.includes(forger),
			Buffer.from(chain.key.author).toString('hex')
		);
		// The forged author's log was not taken.
		expect(held).toBe(false);
		expect(await overflowing(page)).toEqual([]);
		expect(errors).toEqual([]);
	}, 90_000);
});
