// Signaling frames from someone who knows a space's room topic but not its
// key (the signaling operator, or anyone watching ws:// on the LAN) must not
// stop a relay: each frame below once crashed the relay process through an
// unhandled rejection or exception in y-webrtc's signaling receive path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createAppServer } from '../server/app-server.js';
import { makeInviteLink } from '../src/lib/sync/invite';
import { deriveSpaceSecrets, generateSpaceKey } from '../src/lib/sync/keys';
import { RelayStore } from './relay-store';
import { spawnRelay, storedOnDisk, type RelayProcess } from '../tests/support/relay-process';

const runner = fileURLToPath(new URL('./run-from-source.js', import.meta.url));

type RelayWithData = RelayProcess & { dataDir: string };

const SEED = 'written before the attack';

function startRelay(
	link: string,
	dataDir = mkdtempSync(join(tmpdir(), 'barnraise-hostile-'))
): RelayWithData {
	return { ...spawnRelay(runner, ['--invites-stdin', '--data', dataDir], `${link}\n`), dataDir };
}

/**
 * A data folder whose store holds one update of the space from before sync
 * v2: the relay imports it into its own signed log, which it then serves.
 */
async function dataDirWithContent(spaceId: string): Promise<string> {
	const dataDir = mkdtempSync(join(tmpdir(), 'barnraise-hostile-'));
	const store = await RelayStore.open(join(dataDir, 'store'), () => {});
	const doc = new Y.Doc();
	doc.getMap('posts').set('seed', SEED);
	await store.space(spaceId).append([{ seq: 1, update: Y.encodeStateAsUpdate(doc) }]);
	await store.close();
	return dataDir;
}

/** y-webrtc's signaling encryption (PBKDF2 → AES-GCM, lib0 framing), for frames sent by a member. */
async function encryptAsMember(password: string, room: string, message: Uint8Array<ArrayBuffer>) {
	const material = await crypto.subtle.importKey(
		'raw',
		new TextEncoder().encode(password),
		'PBKDF2',
		false,
		['deriveKey']
	);
	const key = await crypto.subtle.deriveKey(
		{ name: 'PBKDF2', salt: new TextEncoder().encode(room), iterations: 100_000, hash: 'SHA-256' },
		material,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt']
	);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, message));
	const algorithm = new TextEncoder().encode('AES-GCM');
	// varString, varUint8Array, varUint8Array: every length here is under 128, one byte each.
	return Buffer.concat([
		Buffer.from([algorithm.length]),
		algorithm,
		Buffer.from([iv.length]),
		iv,
		Buffer.from([cipher.length]),
		cipher
	]).toString('base64');
}

/** lib0 `writeAny` of a flat object of strings: enough to forge y-webrtc signaling payloads. */
function encodeAny(object: Record<string, string>): Uint8Array<ArrayBuffer> {
	const parts: number[] = [118, Object.keys(object).length];
	const pushString = (text: string) => {
		const bytes = new TextEncoder().encode(text);
		parts.push(bytes.length, ...bytes);
	};
	for (const [key, value] of Object.entries(object)) {
		pushString(key);
		parts.push(119);
		pushString(value);
	}
	return Uint8Array.from(parts);
}

describe('a relay and hostile signaling frames', () => {
	let stopServer: () => Promise<unknown>;
	let signalUrl: string;
	const relays: RelayWithData[] = [];

	beforeAll(async () => {
		const app = createAppServer({ buildDir: 'static', log: () => {} });
		stopServer = app.close;
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = app.server.address() as import('node:net').AddressInfo;
		signalUrl = `ws://127.0.0.1:${port}/signal`;
	});
	afterAll(async () => {
		for (const relay of relays) {
			relay.child.kill('SIGKILL');
			rmSync(relay.dataDir, { recursive: true, force: true });
		}
		await stopServer?.();
	});

	it('survives any frame on its room topic and still syncs afterwards', async () => {
		const key = generateSpaceKey();
		const secrets = deriveSpaceSecrets(key);
		const link = makeInviteLink('barnraise:', { key, name: 'Hostile', signaling: [signalUrl] });

		const first = startRelay(link, await dataDirWithContent(secrets.spaceId));
		relays.push(first);
		await first.waitFor(/imported its content from before signed changes/);
		// Let it connect and subscribe.
		await new Promise((resolve) => setTimeout(resolve, 1500));

		const attacker = new WebSocket(signalUrl);
		await new Promise((resolve, reject) => {
			attacker.once('open', resolve);
			attacker.once('error', reject);
		});
		const topic = secrets.roomName;
		const publish = (data: unknown) =>
			attacker.send(JSON.stringify({ type: 'publish', topic, data }));
		// Without subscribing first (the signaling server refuses these now)…
		publish('');
		// …and subscribed, as anyone who knows the topic can be.
		attacker.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
		await new Promise((resolve) => setTimeout(resolve, 100));
		const randomEnvelope = Buffer.concat([
			Buffer.from([7]),
			Buffer.from('AES-GCM'),
			Buffer.from([12]),
			Buffer.alloc(12, 1),
			Buffer.from([32]),
			Buffer.alloc(32, 2)
		]).toString('base64');
		const hostileFrames: unknown[] = [
			'',
			'AAAA',
			'////////',
			'not base64 at all!',
			randomEnvelope,
			Buffer.from([200, 200, 200, 200, 200]).toString('base64'),
			12,
			null,
			{ nested: true },
			// From a member (holds the key): well encrypted, nonsense inside.
			await encryptAsMember(secrets.password, topic, encodeAny({ type: 'signal', from: 'evil' })),
			await encryptAsMember(
				secrets.password,
				topic,
				encodeAny({ type: 'signal', from: 'evil', signal: 'not json' })
			),
			await encryptAsMember(secrets.password, topic, Uint8Array.from([1, 2, 3]))
		];
		for (const data of hostileFrames) publish(data);
		attacker.send(JSON.stringify({ type: 'publish', topic }));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		attacker.close();

		expect(first.child.exitCode, first.lines.join('\n')).toBeNull();

		// Still a working peer: a second relay joins and receives the first one's signed log.
		const second = startRelay(link);
		relays.push(second);
		await first.waitFor(/peer joined/);
		await second.waitFor(/peer joined/);
		await vi.waitFor(() => expect(storedOnDisk(second.dataDir, SEED)).toBe(true), {
			timeout: 10_000,
			interval: 100
		});
		expect(first.child.exitCode, first.lines.join('\n')).toBeNull();
	}, 60_000);
});

describe('a relay and a hostile signaling server', () => {
	it('survives frames that are not JSON or not y-webrtc messages', async () => {
		const { WebSocketServer } = await import('ws');
		const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
		await new Promise((resolve) => server.once('listening', resolve));
		const { port } = server.address() as import('node:net').AddressInfo;
		let subscribed = false;
		server.on('connection', (socket) => {
			socket.on('message', (raw) => {
				const message = JSON.parse(raw.toString());
				if (message.type !== 'subscribe') return;
				subscribed = true;
				const topic = message.topics[0];
				for (const frame of [
					'not json',
					'',
					'null',
					'[]',
					'{"type":"publish"}',
					JSON.stringify({ type: 'publish', topic, data: '' }),
					JSON.stringify({ type: 'publish', topic: 42, data: 'AAAA' })
				]) {
					socket.send(frame);
				}
			});
		});
		const link = makeInviteLink('barnraise:', {
			key: generateSpaceKey(),
			name: 'Hostile server',
			signaling: [`ws://127.0.0.1:${port}/signal`]
		});
		const relay = startRelay(link);
		try {
			await vi.waitFor(() => expect(subscribed).toBe(true), { timeout: 20_000, interval: 50 });
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(relay.child.exitCode, relay.lines.join('\n')).toBeNull();
		} finally {
			relay.child.kill('SIGKILL');
			rmSync(relay.dataDir, { recursive: true, force: true });
			server.close();
		}
	}, 30_000);
});
