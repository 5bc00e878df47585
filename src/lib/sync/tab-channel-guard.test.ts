import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebrtcProvider } from 'y-webrtc';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { deriveSpaceSecrets } from './keys';
import { createSpaceProvider } from './provider';

/** y-webrtc's BroadcastChannel frame: varString "AES-GCM", varUint8Array iv, varUint8Array sealed. */
async function seal(message: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(message));
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, 'AES-GCM');
	encoding.writeVarUint8Array(encoder, iv);
	encoding.writeVarUint8Array(encoder, new Uint8Array(sealed));
	return encoding.toUint8Array(encoder);
}

/** A Yjs update as another tab of the space sends it (y-webrtc's messageSync = 0). */
function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

describe("the space's BroadcastChannel (other tabs of this origin)", () => {
	const cleanup: (() => void)[] = [];
	afterEach(() => {
		for (const step of cleanup.splice(0)) step();
	});

	it('drops anything it cannot read, with no unhandled error, and keeps syncing', async () => {
		const failures: unknown[] = [];
		const record = (error: unknown) => failures.push(error);
		process.on('unhandledRejection', record);
		process.on('uncaughtException', record);
		cleanup.push(() => {
			process.off('unhandledRejection', record);
			process.off('uncaughtException', record);
		});
		const secrets = deriveSpaceSecrets(new Uint8Array(32).fill(7));
		const doc = new Y.Doc();
		const provider: WebrtcProvider = createSpaceProvider(secrets, doc, {
			signaling: [],
			iceServers: []
		});
		cleanup.push(() => provider.destroy());
		await vi.waitFor(() => expect(provider.room).not.toBeNull());
		const key = provider.room!.key as CryptoKey;
		const otherKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'encrypt'
		]);
		const page = new BroadcastChannel(secrets.roomName);
		cleanup.push(() => page.close());

		const garbage: unknown[] = [
			new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).buffer, // a length past the end
			new TextEncoder().encode('hello').buffer, // not an envelope at all
			(await seal(new Uint8Array([0]), otherKey)).buffer, // sealed under another key
			(await seal(new Uint8Array([0, 9, 9, 9]), key)).buffer, // sealed right, nonsense inside
			(await seal(new Uint8Array([42]), key)).buffer, // a message type y-webrtc does not know
			'a string',
			{ an: 'object' },
			1e9 // y-webrtc would make a 1 GB Uint8Array of it
		];
		for (const message of garbage) page.postMessage(message);

		const other = new Y.Doc();
		other.getMap('test').set('from', 'another tab');
		page.postMessage((await seal(updateMessage(Y.encodeStateAsUpdate(other)), key)).buffer);
		await vi.waitFor(() => expect(doc.getMap('test').get('from')).toBe('another tab'));
		// Let any rejection from the garbage surface before looking.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(failures).toEqual([]);
	});
});
