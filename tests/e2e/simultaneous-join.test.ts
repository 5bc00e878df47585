import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import {
	boardSnapshot,
	createSpace,
	inviteLink,
	pickName,
	post,
	postCard,
	waitForPeers
} from '../support/flows';

// A room full of people opening the space at the same moment: y-webrtc's
// offer glare can leave links that never open; the link watchdog retries
// them, so every device ends up linked to every other.
describe('several devices join at the same instant', () => {
	const suite = useServerAndBrowser();

	it('links every device to every other and converges', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Block party mapping');
		await post(a.page, { kind: 'offer', title: 'Folding tables' });
		const link = await inviteLink(a.page);

		const others = await Promise.all(
			['Ben', 'Cleo', 'Dev'].map(async (name) => {
				const device = await openDevice(suite.browser, suite.server.url);
				await pickName(device.page, name);
				return device;
			})
		);
		await Promise.all(
			others.map(async (device) => {
				await device.page.goto(link);
				await device.page.getByRole('button', { name: 'Join space' }).click();
			})
		);
		const all = [a, ...others];
		await Promise.all(all.map((device) => waitForPeers(device.page, 3, 60_000)));
		await Promise.all(others.map((device) => postCard(device.page, 'Folding tables').waitFor()));

		await Promise.all(
			others.map((device, i) => post(device.page, { kind: 'need', title: `Chairs ${i}` }))
		);
		for (const device of all) {
			await expect.poll(() => device.page.getByTestId('post').count(), { timeout: 10_000 }).toBe(4);
		}
		const reference = await boardSnapshot(a.page);
		for (const device of others) expect(await boardSnapshot(device.page)).toBe(reference);
		for (const device of all) {
			expect(device.errors).toEqual([]);
			await device.context.close();
		}
	});
});
