import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchPersistentBrowser, startServer, type RunningServer } from '../support/harness';
import { createSpace, pickName, post, postCard } from '../support/flows';

describe('a space survives a browser restart', () => {
	let server: RunningServer;
	let profileDir: string;

	beforeAll(async () => {
		server = await startServer();
		profileDir = mkdtempSync(join(tmpdir(), 'barnraise-profile-'));
	});
	afterAll(async () => {
		await server?.stop();
		rmSync(profileDir, { recursive: true, force: true });
	});

	it('keeps the space, its posts and the display name after the browser is closed and reopened', async () => {
		const first = await launchPersistentBrowser(profileDir);
		const page = first.pages()[0] ?? (await first.newPage());
		await page.goto(server.url);
		await pickName(page, 'Ana');
		await createSpace(page, 'Westside shelter');
		await post(page, { kind: 'need', title: 'Blankets', quantity: '30' });
		await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
		await first.close();

		const second = await launchPersistentBrowser(profileDir);
		const again = second.pages()[0] ?? (await second.newPage());
		await again.goto(server.url);
		await again.getByText('Hello, Ana.').waitFor();
		await again.getByRole('link', { name: 'Westside shelter' }).click();
		await postCard(again, 'Blankets').waitFor();
		await second.close();
	});
});
