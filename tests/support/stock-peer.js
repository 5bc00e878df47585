// A stock y-webrtc peer in Node (@roamhq/wrtc), driven over stdin/stdout,
// for the interop test. Each peer is its own process: Node has a global
// BroadcastChannel, and y-webrtc would otherwise sync peers in one process
// through it instead of through WebRTC.
//   argv: <signaling url> <room> <password> [guarded]
//   guarded: with the app's signaling shim (signaling-guard.ts: its receive
//   path, and the peer ids our server routes by), as the relay runs y-webrtc
//   stdin lines:  {"set": [key, value]}
//   stdout lines: {"map": {...}, "peers": n, "ready": bool}
import wrtc from '@roamhq/wrtc';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

// lib0's WebSocket client uses the global, which Node 20 lacks.
globalThis.WebSocket ??= /** @type {any} */ (WebSocket);

const [signalingUrl, room, password, mode] = process.argv.slice(2);
// Loaded before the provider exists, so the shim is in place before its socket opens.
const guard =
	mode === 'guarded'
		? (
				await (
					await import('vite')
				).runnerImport(
					fileURLToPath(new URL('../../src/lib/sync/signaling-guard.ts', import.meta.url)),
					{ configFile: false, logLevel: 'warn' }
				)
			).module
		: null;
const doc = new Y.Doc();
const provider = new WebrtcProvider(/** @type {string} */ (room), doc, {
	signaling: [/** @type {string} */ (signalingUrl)],
	password: password || undefined,
	peerOpts: { wrtc, config: { iceServers: [] } }
});
guard?.guardSignaling(provider);
const map = doc.getMap('shared');

function report() {
	const peers = provider.room
		? [...provider.room.webrtcConns.values()].filter((c) => c.connected).length
		: 0;
	// Ready: the room exists (the password's key is derived) and signaling is up.
	const ready = provider.room !== null && provider.signalingConns.some((conn) => conn.connected);
	process.stdout.write(JSON.stringify({ map: map.toJSON(), peers, ready }) + '\n');
}
doc.on('update', report);
provider.on('peers', report);
setInterval(report, 250).unref();

createInterface({ input: process.stdin }).on('line', (line) => {
	const command = JSON.parse(line);
	if (command.set) map.set(command.set[0], command.set[1]);
	if (command.quit) {
		provider.disconnect();
		provider.destroy();
		setTimeout(() => process.exit(0), 100);
	}
});
report();
