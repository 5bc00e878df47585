// Starts mesh-peer.ts (a member's device in a Node process of its own) and
// drives it: wait until it has linked, send raw y-webrtc messages, stop it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import * as encoding from 'lib0/encoding';
import { vi } from 'vitest';
import * as Y from 'yjs';

const runner = fileURLToPath(new URL('./run-mesh-peer.js', import.meta.url));

export interface MeshPeer {
	latest: { linked: number; sent: number };
	lines: string[];
	/** Wait until it has an open link to this many devices. */
	linked(count?: number, timeoutMs?: number): Promise<void>;
	/** Wait until every link it had is closed. */
	unlinked(timeoutMs?: number): Promise<void>;
	/** Send `message` as it is down every open link. */
	send(message: Uint8Array): Promise<void>;
	stop(): void;
}

/** `member`: the member id its presence announces (none: an unnamed device). */
export function startMeshPeer(signalingUrl: string, inviteLink: string, member?: string): MeshPeer {
	const child = spawn(process.execPath, [
		runner,
		signalingUrl,
		inviteLink,
		...(member ? [member] : [])
	]);
	const lines: string[] = [];
	const peer: MeshPeer = {
		latest: { linked: 0, sent: 0 },
		lines,
		async linked(count = 1, timeoutMs = 30_000) {
			await vi.waitFor(
				() => {
					if (peer.latest.linked < count)
						throw new Error(`the mesh peer never linked:\n${lines.join('\n')}`);
				},
				{ timeout: timeoutMs, interval: 50 }
			);
		},
		async unlinked(timeoutMs = 10_000) {
			await vi.waitFor(
				() => {
					if (peer.latest.linked > 0) throw new Error('the mesh peer is still linked');
				},
				{ timeout: timeoutMs, interval: 50 }
			);
		},
		async send(message) {
			const before = peer.latest.sent;
			child.stdin.write(JSON.stringify({ send: Buffer.from(message).toString('base64') }) + '\n');
			await vi.waitFor(
				() => {
					if (peer.latest.sent <= before) throw new Error('the mesh peer sent nothing');
				},
				{ timeout: 10_000, interval: 20 }
			);
		},
		stop() {
			child.kill('SIGKILL');
		}
	};
	createInterface({ input: child.stdout }).on('line', (line) => {
		try {
			peer.latest = JSON.parse(line);
		} catch {
			lines.push(line);
		}
	});
	createInterface({ input: child.stderr }).on('line', (line) => lines.push(`stderr: ${line}`));
	return peer;
}

/** y-webrtc's framing of a Yjs sync message: messageSync (0), the sync kind, the payload. */
export function meshSyncMessage(kind: 'step2' | 'update', payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, kind === 'step2' ? 1 : 2);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/**
 * An update that Yjs applies halfway: a post whose title is `marker` and a
 * deletion, cut short by its last byte, so the post's structs go in and
 * reading the delete set then throws.
 */
export function halfUpdate(marker: string): Uint8Array {
	const doc = new Y.Doc();
	const posts = doc.getMap('posts');
	posts.set('post-half', marker);
	posts.set('post-gone', 'deleted in the same update');
	posts.delete('post-gone');
	return Y.encodeStateAsUpdate(doc).slice(0, -1);
}
