// Runs the signaling corpus (signaling.cases.ts) through our device's
// receive path (signaling-guard.ts) and through the signaling server over a
// loopback WebSocket.
import * as buffer from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppServer } from '../../server/app-server.js';
import { decryptSignalingPayload, readSignalingMessage } from '../../src/lib/sync/signaling-guard';
import {
	signalingEnvelopeCases,
	signalingServerCases,
	signalingValueCases,
	type EnvelopeKit
} from './signaling.cases';

const newKey = () =>
	crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

describe('bad signaling payloads on our device', () => {
	it.each(signalingValueCases)('drops %s', (_label, value) => {
		expect(readSignalingMessage(value)).toBeNull();
	});

	let key: CryptoKey;
	let kit: EnvelopeKit;
	beforeAll(async () => {
		key = await newKey();
		const otherKey = await newKey();
		const envelope: EnvelopeKit['envelope'] = ({
			algorithm = 'AES-GCM',
			iv = new Uint8Array(12),
			cipher = new Uint8Array(32)
		}) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarString(encoder, algorithm);
			encoding.writeVarUint8Array(encoder, iv);
			encoding.writeVarUint8Array(encoder, cipher);
			return buffer.toBase64(encoding.toUint8Array(encoder));
		};
		const sealBytes = async (bytes: Uint8Array, sealKey = key) => {
			const iv = crypto.getRandomValues(new Uint8Array(12));
			const cipher = new Uint8Array(
				await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, sealKey, bytes as BufferSource)
			);
			return envelope({ iv, cipher });
		};
		kit = {
			envelope,
			sealBytes: (bytes) => sealBytes(bytes),
			seal: (value, options = {}) => {
				const encoder = encoding.createEncoder();
				encoding.writeAny(encoder, value as never);
				return sealBytes(encoding.toUint8Array(encoder), options.otherKey ? otherKey : key);
			}
		};
	});

	it.each(signalingEnvelopeCases)('%s', async (_label, make, expected) => {
		const frame = await make(kit);
		const verdict = await decryptSignalingPayload(frame, key).then(
			(payload) => readSignalingMessage(payload),
			(error: unknown) => (error instanceof Error ? 'refused' : `threw ${String(error)}`)
		);
		expect(verdict).toBe(expected === 'refused' ? 'refused' : null);
	});

	it('a real frame is read (so the cases above test what they say)', async () => {
		const frame = await kit.seal({ type: 'announce', from: 'peer-a' });
		expect(readSignalingMessage(await decryptSignalingPayload(frame, key))).toEqual({
			type: 'announce',
			from: 'peer-a',
			to: undefined
		});
	});
});

describe('bad frames at the signaling server', () => {
	const logLines: string[] = [];
	let url = '';
	let stop: () => Promise<unknown>;
	let stats: () => { topics: number };
	let bystander: { socket: WebSocket; messages: unknown[] };

	async function connect() {
		const socket = new WebSocket(url);
		const messages: unknown[] = [];
		socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
		await new Promise((resolve, reject) => {
			socket.once('open', resolve);
			socket.once('error', reject);
		});
		return { socket, messages };
	}

	/** Send, then ping: frames are handled in order, so the pong means the frame was. */
	async function sendAndSettle(
		client: { socket: WebSocket; messages: unknown[] },
		frame: string | Uint8Array
	) {
		client.socket.send(frame);
		client.socket.send('{"type":"ping"}');
		await new Promise<void>((resolve) => {
			const check = () => {
				if (client.messages.some((m) => (m as { type?: string }).type === 'pong')) resolve();
				else client.socket.once('message', check);
			};
			check();
		});
	}

	beforeAll(async () => {
		const app = createAppServer({
			buildDir: 'static',
			log: (line) => logLines.push(line),
			signaling: { maxProblemsPerConnection: 1000 }
		});
		stop = app.close;
		stats = () => app.signaling.stats();
		await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const address = app.server.address() as import('node:net').AddressInfo;
		url = `ws://127.0.0.1:${address.port}/signal`;
		bystander = await connect();
		await sendAndSettle(bystander, '{"type":"subscribe","topics":["corpus-room"]}');
	});
	afterAll(async () => {
		bystander.socket.close();
		await stop();
	});

	it.each(signalingServerCases)('%s', async (_label, frame, problem) => {
		const client = await connect();
		const topicsBefore = stats().topics;
		const bystanderHeard = bystander.messages.length;
		const linesBefore = logLines.length;
		await sendAndSettle(client, frame);
		const logged = logLines.slice(linesBefore).join('\n');
		expect(logged).toContain(problem);
		expect(stats().topics).toBe(topicsBefore);
		expect(bystander.messages).toHaveLength(bystanderHeard);
		client.socket.close();
	});
});
