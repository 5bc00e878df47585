import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowser, openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import { createSpace, inviteLink, pickName, post, postCard, waitForPeers } from '../support/flows';
import { qrVideo } from '../support/qr';

// Linux Chromium has no BarcodeDetector, so every code here is read by the
// ZXing fallback — from a fake camera that films the code, and from photos.
describe('scanning invite codes', () => {
	const suite = useServerAndBrowser();

	it('joins by pointing the camera at the invite code', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Block 14');
		await post(a.page, { kind: 'offer', title: 'Generator, 2 kW' });
		const link = await inviteLink(a.page);

		const folder = mkdtempSync(join(tmpdir(), 'barnraise-camera-'));
		const video = join(folder, 'invite.y4m');
		writeFileSync(video, qrVideo(link));
		const cameraBrowser = await launchBrowser([
			'--use-fake-device-for-media-stream',
			'--use-fake-ui-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`
		]);
		try {
			const b = await openDevice(cameraBrowser, suite.server.url);
			await expect(b.page.evaluate(() => 'BarcodeDetector' in globalThis)).resolves.toBe(false);
			await pickName(b.page, 'Ben');
			await b.page.getByRole('button', { name: 'Scan the invite code with the camera' }).click();
			await b.page.getByTestId('space-name').filter({ hasText: 'Block 14' }).waitFor();
			await waitForPeers(b.page);
			await postCard(b.page, 'Generator, 2 kW').waitFor();
			// The camera was let go once the code was read.
			await expect(b.page.evaluate(() => document.querySelectorAll('video').length)).resolves.toBe(
				0
			);
			expect(b.errors).toEqual([]);
		} finally {
			await cameraBrowser.close();
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('on plain http says why the camera is off, and joins from a photo of the code', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Shelter 3');
		await post(a.page, { kind: 'need', title: 'Diapers, size 4' });
		await inviteLink(a.page);
		const photo = await a.page.getByTestId('invite-qr').screenshot();
		const notACode = await a.page.getByTestId('space-name').screenshot();

		const b = await openDevice(suite.browser, suite.server.insecureUrl);
		await pickName(b.page, 'Ben');
		await expect(b.page.getByTestId('camera-unavailable').textContent()).resolves.toMatch(
			/plain http/
		);
		await expect(b.page.getByRole('button', { name: /with the camera/ }).count()).resolves.toBe(0);

		const photoInput = b.page.getByLabel('Open a photo of the invite code');
		// A picture with no code in it, and a file that is no picture: each says so.
		await photoInput.setInputFiles({
			name: 'heading.png',
			mimeType: 'image/png',
			buffer: notACode
		});
		await b.page.getByRole('alert').filter({ hasText: 'No QR code found' }).waitFor();
		await photoInput.setInputFiles({
			name: 'notes.txt',
			mimeType: 'text/plain',
			buffer: Buffer.from('not a picture')
		});
		await b.page.getByRole('alert').filter({ hasText: 'not a picture' }).waitFor();
		await expect(b.page.getByTestId('space-name').count()).resolves.toBe(0);

		await photoInput.setInputFiles({ name: 'invite.png', mimeType: 'image/png', buffer: photo });
		await b.page.getByTestId('space-name').filter({ hasText: 'Shelter 3' }).waitFor();
		await waitForPeers(b.page);
		await postCard(b.page, 'Diapers, size 4').waitFor();
		expect(b.errors).toEqual([]);
	});

	it('uses the browser’s own BarcodeDetector where it reads QR codes', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Kitchen 2');
		const link = await inviteLink(a.page);

		// Linux Chromium has none, so this device gets one that "sees" the
		// invite in any picture: what is tested is that the app prefers it.
		const b = await suite.browser.newContext();
		await b.addInitScript((seen: string) => {
			class FakeDetector {
				static async getSupportedFormats() {
					return ['qr_code', 'ean_13'];
				}
				async detect() {
					return [{ rawValue: seen }];
				}
			}
			Object.assign(globalThis, { BarcodeDetector: FakeDetector });
		}, link);
		const page = await b.newPage();
		await page.goto(suite.server.url);
		await pickName(page, 'Ben');
		await page.getByLabel('Open a photo of the invite code').setInputFiles({
			name: 'anything.png',
			mimeType: 'image/png',
			buffer: await a.page.getByTestId('space-name').screenshot()
		});
		await page.getByTestId('space-name').filter({ hasText: 'Kitchen 2' }).waitFor();
		// ZXing's WebAssembly was never fetched.
		const fetched = await page.evaluate(() =>
			performance.getEntriesByType('resource').map((entry) => entry.name)
		);
		expect(fetched.some((name) => name.endsWith('.wasm'))).toBe(false);
		await b.close();
	});
});
