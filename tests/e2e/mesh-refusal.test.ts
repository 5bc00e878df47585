// A member's device (the app's own provider in Node, over real WebRTC) sends
// a phone an update that Yjs would apply halfway: the phone applies none of
// it, and its links list says so on that device's row, at 360 px.
import { afterAll, describe, expect, it } from 'vitest';
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

describe('a damaged update from a member’s device over the mesh', () => {
	const suite = useServerAndBrowser();
	const peers: MeshPeer[] = [];
	afterAll(() => {
		for (const peer of peers) peer.stop();
	});

	it('is refused whole, and the links list shows it on that device’s row', async () => {
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
		const problem = page.locator('[data-testid="links"] tr[data-transport="mesh"] [data-problem]');
		await problem.waitFor();
		expect(await problem.getAttribute('data-problem')).toBe('broken-update');
		expect(await problem.textContent()).toMatch(
			/sent a change that was damaged or cut short: none of it was applied, and the link was closed to sync again \(just now\)/
		);
		const applied = await page.evaluate(() => {
			const session = (
				globalThis as unknown as {
					barnraise: { session: { doc: { getMap(name: string): { has(key: string): boolean } } } };
				}
			).barnraise.session;
			return session.doc.getMap('posts').has('post-half');
		});
		expect(applied).toBe(false);
		expect(await overflowing(page)).toEqual([]);
		expect(errors).toEqual([]);
	}, 90_000);
});
