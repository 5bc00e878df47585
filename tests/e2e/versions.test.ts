import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { createSpace, pickName, post, postCard } from '../support/flows';
import { writeRaw } from '../support/raw-doc';
import { useServerAndBrowser } from '../support/suite';

describe('a space changed by a newer app', () => {
	const suite = useServerAndBrowser();

	it('says so plainly, shows nothing of it, and says so again after a reload', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Future space');
		await post(a.page, { kind: 'need', title: 'Written before the upgrade' });
		await postCard(a.page, 'Written before the upgrade').waitFor();

		// What a newer app would write: a space format this app does not know.
		await writeRaw(a.page, 'meta', 'schemaVersion', 99);
		const message = a.page.getByTestId('needs-newer-app');
		await message.waitFor();
		await expect(message.textContent()).resolves.toMatch(/newer version of Barnraise.*format 99/);
		expect(await postCard(a.page, 'Written before the upgrade').count()).toBe(0);

		await a.page.reload();
		await message.waitFor();
		expect(await a.page.getByRole('navigation', { name: 'Space sections' }).count()).toBe(0);

		// Nothing was lost: once the app knows the format again (here: the value put back),
		// the board is there as it was.
		await writeRaw(a.page, 'meta', 'schemaVersion', 1);
		await postCard(a.page, 'Written before the upgrade').waitFor();
		expect(a.errors).toEqual([]);
		await a.context.close();
	});
});
