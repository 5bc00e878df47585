// A member's device on the mesh in a Node process of its own (@roamhq/wrtc),
// made with the app's own provider, that a test drives over stdin to send
// raw y-webrtc messages down its links. It is its own process because
// y-webrtc allows one provider per room in a process, and Node's global
// BroadcastChannel would otherwise carry the messages instead of WebRTC.
//   argv: <signaling url> <invite link> [member id, announced in presence]
//   stdin lines:  {"send": "<base64 message>"}
//   stdout lines: {"linked": n, "sent": n}
import wrtc from '@roamhq/wrtc';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { WrtcImplementation } from '../../src/lib/sync/chunked-wrtc';
import { parseInvite } from '../../src/lib/sync/invite';
import { deriveSpaceSecrets } from '../../src/lib/sync/keys';
import { LinkWatchdog, type WatchedProvider } from '../../src/lib/sync/link-watchdog';
import { createSpaceProvider } from '../../src/lib/sync/provider';

// lib0's WebSocket client uses the global one, which Node 20 lacks.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const [signalingUrl, link, member] = process.argv.slice(2);
const invite = parseInvite(link ?? '');
if (!invite.ok) throw new Error(`mesh peer: bad invite (${invite.problem})`);
const provider = createSpaceProvider(deriveSpaceSecrets(invite.invite.key), new Y.Doc(), {
	signaling: [signalingUrl ?? ''],
	iceServers: [],
	wrtc: wrtc as unknown as WrtcImplementation
});
new LinkWatchdog(provider as unknown as WatchedProvider);
let sent = 0;

function linked(): { send(data: Uint8Array): void }[] {
	return [...(provider.room?.webrtcConns.values() ?? [])]
		.filter((conn) => conn.connected)
		.map((conn) => conn.peer as { send(data: Uint8Array): void });
}

// Presence names this device as the app's does (link-watch.ts): its member id and y-webrtc peer id.
if (member) provider.awareness.setLocalState({ member });

function report(): void {
	const peer = provider.room?.peerId;
	if (member && peer && provider.awareness.getLocalState()?.peer !== peer)
		provider.awareness.setLocalStateField('peer', peer);
	process.stdout.write(JSON.stringify({ linked: linked().length, sent }) + '\n');
}
setInterval(report, 200);

createInterface({ input: process.stdin }).on('line', (line) => {
	const command = JSON.parse(line) as { send?: string };
	if (command.send === undefined) return;
	for (const peer of linked()) {
		peer.send(Buffer.from(command.send, 'base64'));
		sent += 1;
	}
	report();
});
