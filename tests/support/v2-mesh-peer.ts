// A device on a sync v2 mesh in a Node process of its own (@roamhq/wrtc): the
// app's provider with the bounded mesh, y-webrtc's links handed to the same
// SyncEngine the app runs, and a log signed in memory (no IndexedDB in Node).
// A test or bench drives it over stdin and reads its state from stdout. Its
// own process because y-webrtc allows one provider per room in a process.
// Presence goes as the app sends it (v2/presence.ts); with `y-webrtc`, as
// before presence v2: y-webrtc's awareness relayed over the same bounded
// mesh; with `today`, as today's sync links: every device to every other,
// y-webrtc's awareness relay (for bench/presence-room.js); with `today-sync`,
// today's sync whole: y-webrtc syncs the doc itself over a full mesh, no
// engine (the baseline in bench/node-room.js). Every data-channel message it
// sends is counted as it leaves (`framesSent`, `bytesSent`: what getStats()
// calls messagesSent, each chunk of a large message one). With `gated`, it
// opens the space only on {"open": true}, so a bench can start every process
// first and have them all open at once.
//   argv: <signaling url> <invite link> [engine tick ms]
//         [presence: v2 | y-webrtc | today | today-sync] [gated]
//   stdin lines:  {"open": true}, {"post": "<title>"}, {"pausePresence": true}
//   stdout lines: {"at": ms since 1970, "peer", "links": [peer ids], "conns", "maxConns",
//                  "posts": [titles], "presenceSent", "renewals", "here", "framesSent", "bytesSent"}
import wrtc from '@roamhq/wrtc';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import { createPost, readAllPosts } from '../../src/lib/doc/space-doc';
import type { WrtcImplementation } from '../../src/lib/sync/chunked-wrtc';
import { parseInvite } from '../../src/lib/sync/invite';
import { deriveSpaceSecrets } from '../../src/lib/sync/keys';
import { LinkWatchdog, type WatchedProvider } from '../../src/lib/sync/link-watchdog';
import { createSpaceProvider } from '../../src/lib/sync/provider';
import { clientId } from '../../src/lib/sync/v2/client-id';
import { ENGINE_ORIGIN, SyncEngine } from '../../src/lib/sync/v2/engine';
import {
	EntryKind,
	NO_PREVIOUS,
	encodeEntry,
	hashEntry,
	type EntryHash
} from '../../src/lib/sync/v2/entry';
import { generateDeviceKey, signHead } from '../../src/lib/sync/v2/head';
import { MeshLinks } from '../../src/lib/sync/v2/mesh-links';
import { MeshPresence, PRESENCE_TYPE } from '../../src/lib/sync/v2/presence';

// lib0's WebSocket client uses the global one, which Node 20 lacks.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const [signalingUrl, link, tickArg, presenceArg, gateArg] = process.argv.slice(2);
const todaySync = presenceArg === 'today-sync';
const yjsPresence = presenceArg === 'y-webrtc' || presenceArg === 'today' || todaySync;
const invite = parseInvite(link ?? '');
if (!invite.ok) throw new Error(`v2 mesh peer: bad invite (${invite.problem})`);

const key = generateDeviceKey();
const doc = new Y.Doc();
doc.clientID = clientId(key.author, 1);
const engine = new SyncEngine(doc);
let last: EntryHash = NO_PREVIOUS;
let seq = 0;
// Every local transaction is one signed entry (the app batches; a test needs no batching).
doc.on('update', (update: Uint8Array, origin: unknown) => {
	// On today's sync the doc is y-webrtc's to carry: nothing is signed.
	if (origin === ENGINE_ORIGIN || todaySync) return;
	seq += 1;
	const encoded = encodeEntry({
		seq,
		prev: last,
		kind: EntryKind.edit,
		epoch: 1,
		time: Date.now(),
		body: update
	});
	last = hashEntry(key.author, encoded);
	engine.addOwn(encoded, signHead(key, seq, last));
});

/** Data-channel messages and their bytes this device sent on all its links. */
let framesSent = 0;
let bytesSent = 0;
function countSends(channel: RTCDataChannel): RTCDataChannel {
	const send = channel.send.bind(channel) as (data: Uint8Array) => void;
	(channel as unknown as { send(data: Uint8Array): void }).send = (data) => {
		framesSent += 1;
		bytesSent += data.byteLength;
		send(data);
	};
	return channel;
}
// Under the chunked channels: what it counts is what goes on the wire, one real message each.
function CountingPeerConnection(config?: RTCConfiguration): RTCPeerConnection {
	const pc = new wrtc.RTCPeerConnection(config) as unknown as RTCPeerConnection;
	const createDataChannel = pc.createDataChannel.bind(pc);
	pc.createDataChannel = (label, init) => countSends(createDataChannel(label, init));
	pc.addEventListener('datachannel', (event) => countSends(event.channel));
	return pc;
}

const commands = createInterface({ input: process.stdin });
/** Commands that came with or before the open, run once the device is up (a bench may send both at once). */
let early: string[] | null = [];
commands.on('line', (line) => early?.push(line));
if (gateArg === 'gated') {
	process.stdout.write('{"gated":true}\n');
	await new Promise<void>((resolve) =>
		commands.on('line', (line) => {
			if ((JSON.parse(line) as { open?: boolean }).open) resolve();
		})
	);
}

const provider = createSpaceProvider(
	deriveSpaceSecrets(invite.invite.key),
	todaySync ? doc : new Y.Doc(),
	{
		signaling: [signalingUrl ?? ''],
		iceServers: [],
		wrtc: {
			...(wrtc as unknown as WrtcImplementation),
			RTCPeerConnection:
				CountingPeerConnection as unknown as WrtcImplementation['RTCPeerConnection']
		},
		signed: !todaySync,
		boundedMesh: presenceArg !== 'today' && !todaySync,
		signedPresence: !yjsPresence
	}
);
new LinkWatchdog(provider as unknown as WatchedProvider);

/** Presence messages this device sent, of whichever kind it runs. */
let presenceSent = 0;
/** Times this device's own state was set or renewed (y-protocols renews it every 15 s). */
let renewals = 0;
provider.awareness.on('update', (changes: Record<string, number[]>, origin: unknown) => {
	if (origin === 'local' && changes.updated!.includes(provider.awareness.clientID)) renewals += 1;
});
// Today's sync: y-webrtc carries the doc itself, no engine on the links.
if (yjsPresence) {
	if (!todaySync) new MeshLinks(provider, engine);
} else {
	const presence = new MeshPresence(provider.awareness, engine);
	new MeshLinks(provider, {
		addLink: (link) =>
			presence.addLink({
				id: link.id,
				send: (bytes) => {
					if (bytes[0] === PRESENCE_TYPE) presenceSent += 1;
					link.send(bytes);
				}
			}),
		removeLink: (id) => presence.removeLink(id),
		receive: (id, bytes) => presence.receive(id, bytes)
	});
}
// As the app: the member id, and the peer id the links list names a link by (link-watch.ts).
provider.awareness.setLocalState({
	member: `member-node-${Buffer.from(key.author.subarray(0, 4)).toString('hex')}`
});
setInterval(() => engine.tick(), Number(tickArg) || 20_000);

// The most links this device ever held at once, opening ones included
// (the room is made once the key is derived, a moment after the provider).
let maxConns = 0;
const watchRoom = setInterval(() => {
	const conns = provider.room?.webrtcConns;
	if (!conns) return;
	clearInterval(watchRoom);
	provider.awareness.setLocalStateField('peer', provider.room!.peerId);
	const set = conns.set.bind(conns);
	conns.set = (id, conn) => {
		const result = set(id, conn);
		if (yjsPresence) {
			// y-webrtc's awareness messages (type 1) as they leave for this link.
			const peer = conn.peer as { send(data: Uint8Array): void };
			const send = peer.send.bind(peer);
			peer.send = (data) => {
				if (data[0] === 1) presenceSent += 1;
				send(data);
			};
		}
		maxConns = Math.max(maxConns, conns.size);
		return result;
	};
}, 5);

function report(): void {
	const posts = [...readAllPosts(doc).values()].flatMap((read) =>
		read.ok ? [read.post.title] : []
	);
	const conns = provider.room?.webrtcConns ?? new Map();
	const links = [...conns].filter(([, conn]) => conn.connected).map(([id]) => id);
	process.stdout.write(
		JSON.stringify({
			at: Date.now(),
			peer: provider.room?.peerId,
			links,
			conns: conns.size,
			maxConns,
			posts,
			authors: engine.vector().map((tip) => tip.length),
			presenceSent,
			renewals,
			here: provider.awareness.getStates().size - 1,
			framesSent,
			bytesSent
		}) + '\n'
	);
}
setInterval(report, 250);
// At once when a link opens or the board changes, so a bench times them to the event.
provider.on('peers', report);
doc.on('update', report);

function runCommand(line: string): void {
	const command = JSON.parse(line) as { post?: string; pausePresence?: boolean };
	// y-protocols renews presence every 15 s; a bench counting one edit's messages pauses it, as bench/mesh-room.js does.
	if (command.pausePresence)
		clearInterval(
			(provider.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval
		);
	if (typeof command.post !== 'string') return;
	createPost(
		doc,
		`post-${command.post.replace(/[^a-z0-9]/gi, '-').toLowerCase()}` as PostId,
		{
			kind: 'need',
			title: command.post,
			details: '',
			category: 'shelter',
			quantity: null,
			unit: '',
			urgency: 'normal',
			locationText: '',
			contact: '',
			expiresAt: null
		},
		'member-node-0001' as MemberId,
		1
	);
	report();
}
for (const line of early ?? []) runCommand(line);
early = null;
commands.on('line', runCommand);
