// Hostile text on screen (issue #13): a space, posts and an asset whose
// names and details are markup and script payloads from the bad-input
// corpus, typed through the app's own forms, then shown on the board, in a
// post and in the invite panel (whose QR code is the one piece of markup the
// app renders itself). Every payload must show as the text it is: no element
// it describes appears, and no script it carries runs.
import { describe, expect, it } from 'vitest';
import { openDevice } from '../support/harness';
import { createSpace, pickName, post, postCard } from '../support/flows';
import { useServerAndBrowser } from '../support/suite';
import { xssPayloads } from '../corpus/xss.cases';

const payload = (label: string) => xssPayloads.find(([name]) => name === label)?.[1] ?? '';

describe('hostile text on screen', () => {
	const suite = useServerAndBrowser();

	it('shows markup and script payloads as text and runs none of them', async () => {
		const { page } = await openDevice(suite.browser, suite.server.url);
		await pickName(page, payload('an attribute breakout').slice(0, 40));
		const spaceName = payload('an image with onerror');
		await createSpace(page, spaceName);
		const titles = [
			payload('a script element'),
			payload('an attribute breakout'),
			payload('a link with a javascript: href')
		];
		for (const [index, title] of titles.entries())
			await post(page, {
				kind: index % 2 ? 'offer' : 'need',
				title,
				details: payload('an iframe with srcdoc'),
				locationText: payload('a javascript: URL')
			});
		for (const title of titles) await expect.poll(() => postCard(page, title).count()).toBe(1);
		await page.getByRole('button', { name: 'Invite' }).click();
		await page.getByTestId('invite-qr').waitFor();

		const found = await page.evaluate(() => ({
			pwned: (globalThis as { __pwned?: unknown }).__pwned,
			injected: document.querySelectorAll(
				'img[src="x"], iframe, svg[onload], [onerror], [onload], a[href^="javascript:"]'
			).length,
			scripts: [...document.querySelectorAll('script')].filter((script) =>
				(script.textContent ?? '').includes('__pwned')
			).length
		}));
		expect(found).toEqual({ pwned: undefined, injected: 0, scripts: 0 });
		await expect
			.poll(() => page.getByTestId('space-name').first().textContent())
			.toContain(spaceName);
	});
});
