// A space whose data another tab of an older app will not let go of: the
// space fails to open after a few seconds (it never hangs on "Opening"), and
// the screen says in the person's language what to do about it — close the
// other tabs and reload — not only the browser's words. Spanish, at 360 px.
import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { englishLeft } from '../support/english-left';
import { overflowing, PHONE } from '../support/phone';
import { ALWAYS_ALLOWED, createSpaceEs, pickNameEs } from '../support/spanish';
import { useServerAndBrowser } from '../support/suite';

describe('a space another tab holds open', () => {
	const suite = useServerAndBrowser();

	it('says, in Spanish, to close the other tabs and reload', async () => {
		const { context, page, errors } = await openDevice(suite.browser, suite.server.url, {
			...PHONE,
			locale: 'es-MX'
		});
		await pickNameEs(page, 'Ana');
		await createSpaceEs(page, 'Refugio');
		const spaceUrl = page.url();
		const logs = `barnraise-logs-${spaceUrl.split('/s/')[1]!.split(/[/?#]/)[0]}`;
		await page.goto(new URL('/', spaceUrl).href);

		// The old tab: its log database is at version 1 (made anew, whichever sync
		// made the space), and it never closes it.
		const old = await context.newPage();
		await old.goto(new URL('/', spaceUrl).href);
		await old.evaluate(async (name) => {
			await new Promise<void>((resolve, reject) => {
				const gone = indexedDB.deleteDatabase(name);
				gone.onsuccess = () => resolve();
				gone.onerror = () => reject(gone.error);
			});
			await new Promise<void>((resolve, reject) => {
				const request = indexedDB.open(name, 1);
				// Version 1's stores (log-store.ts).
				request.onupgradeneeded = () => {
					for (const store of ['device', 'entries', 'heads'])
						request.result.createObjectStore(store);
				};
				request.onsuccess = () => {
					// eslint-disable-next-line @typescript-eslint/no-explicit-any
					(globalThis as any).stuck = request.result;
					resolve();
				};
				request.onerror = () => reject(request.error);
			});
		}, logs);

		// This tab has sync v2 (whose logs need version 2): it opens the space.
		await page.goto(spaceUrl);
		await page.getByRole('heading', { name: 'No se pudo abrir el espacio' }).waitFor({
			timeout: 20_000
		});
		await expect(page.getByRole('alert').textContent()).resolves.toContain(
			'Cierra las otras pestañas de Barnraise y luego recarga esta página.'
		);
		expect(await englishLeft(page, ALWAYS_ALLOWED)).toEqual([]);
		expect(await overflowing(page)).toEqual([]);

		// Once the old tab lets go, reloading opens the space.
		await old.close();
		await page.reload();
		await page.getByTestId('space-name').filter({ hasText: 'Refugio' }).waitFor();
		expect(errors).toEqual([]);
	});
});
