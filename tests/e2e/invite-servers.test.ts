// An invite can name signaling servers (s= in its link). A hostile one could
// point a device at a server that logs who joins, so a device asks before
// using a server it does not use already: refused, it stays off it and still
// joins through its own; accepted, it uses it. The "other" server here is a
// WebSocket server on loopback that only counts who connects.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDevice } from '../support/harness';
import { useServerAndBrowser } from '../support/suite';
import { createSpace, inviteLink, pickName, waitForPeers } from '../support/flows';
import { PHONE, overflowing } from '../support/phone';
import { pickNameEs } from '../support/spanish';

describe('signaling servers named in an invite', () => {
	const suite = useServerAndBrowser();
	let other: WebSocketServer;
	let otherUrl: string;
	let connections = 0;

	beforeAll(async () => {
		other = new WebSocketServer({ host: '127.0.0.1', port: 0 });
		other.on('connection', () => (connections += 1));
		await new Promise((resolve) => other.once('listening', resolve));
		otherUrl = `ws://127.0.0.1:${(other.address() as AddressInfo).port}/signal`;
	});
	afterAll(async () => {
		for (const client of other?.clients ?? []) client.terminate();
		await new Promise((resolve) => other?.close(resolve));
	});

	/** Every WebSocket the page opens, by address. */
	function watchSockets(page: Page): string[] {
		const opened: string[] = [];
		page.on('websocket', (socket) => opened.push(socket.url()));
		return opened;
	}

	it('asks first; refused, the device stays off that server and joins through its own', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Northside depot');
		const link = `${await inviteLink(a.page)}&s=${encodeURIComponent(otherUrl)}`;

		// A phone whose browser speaks Spanish: the question is in its language and fits.
		const b = await openDevice(suite.browser, suite.server.url, { ...PHONE, locale: 'es-MX' });
		const opened = watchSockets(b.page);
		await b.page.goto(link);
		await pickNameEs(b.page, 'Beto');
		const question = b.page.getByTestId('invite-servers');
		await expect(question.getByRole('paragraph').first().textContent()).resolves.toBe(
			`Esta invitación pide conectarse a través de 127.0.0.1:${new URL(otherUrl).port}. ¿Usarlo?`
		);
		await expect(overflowing(b.page)).resolves.toEqual([]);
		await question.getByRole('button', { name: 'No usar' }).click();

		// Joined and linked with Ana through the app's own server.
		await b.page.getByTestId('sync-indicator').waitFor();
		await waitForPeers(b.page, 1);
		expect(opened.length).toBeGreaterThan(0);
		expect(opened.filter((url) => url.startsWith(otherUrl))).toEqual([]);
		expect(connections).toBe(0);
		// Nor is it kept for later (reopening, or inviting others).
		const stored = await b.page.evaluate(() => JSON.stringify(localStorage));
		expect(stored).not.toContain(new URL(otherUrl).host);

		await a.context.close();
		await b.context.close();
	});

	it('accepted, the device connects through it', async () => {
		const a = await openDevice(suite.browser, suite.server.url);
		await pickName(a.page, 'Ana');
		await createSpace(a.page, 'Southside depot');
		const link = `${await inviteLink(a.page)}&s=${encodeURIComponent(otherUrl)}`;

		const c = await openDevice(suite.browser, suite.server.url, PHONE);
		await pickName(c.page, 'Cleo');
		// Pasted on the home screen this time, the other way in.
		await c.page.getByLabel('Join with an invite link').fill(link);
		await c.page.getByRole('button', { name: 'Join space' }).click();
		const question = c.page.getByTestId('invite-servers');
		await question
			.getByText(`This invite asks to connect through 127.0.0.1:${new URL(otherUrl).port}. Use it?`)
			.waitFor();
		const connecting = c.page.waitForEvent('websocket', (socket) =>
			socket.url().startsWith(otherUrl)
		);
		await question.getByRole('button', { name: 'Use', exact: true }).click();
		await connecting;
		await expect.poll(() => connections).toBeGreaterThan(0);
		await c.page.getByTestId('sync-indicator').waitFor();

		await a.context.close();
		await c.context.close();
	});
});
