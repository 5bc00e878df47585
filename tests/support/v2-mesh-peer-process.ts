// Starts v2-mesh-peer.ts (a sync v2 device in a Node process of its own) and
// reads what it reports: its peer id, its links, the posts on its board.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('./run-v2-mesh-peer.js', import.meta.url));

export interface V2PeerState {
	peer?: string;
	/** Peer ids of the open links. */
	links: string[];
	/** Links held, opening ones included. */
	conns: number;
	/** The most links held at once so far. */
	maxConns: number;
	posts: string[];
	/** Presence messages sent, of whichever kind the peer runs. */
	presenceSent?: number;
	/** Times its own presence was set or renewed. */
	renewals?: number;
	/** Other devices whose presence it holds. */
	here?: number;
	/** Data-channel messages and their bytes it sent on all its links. */
	framesSent?: number;
	bytesSent?: number;
}

export interface V2MeshPeer {
	latest: V2PeerState;
	lines: string[];
	post(title: string): void;
	stop(): void;
}

export function startV2MeshPeer(
	signalingUrl: string,
	inviteLink: string,
	tickMs = 20_000,
	presence: 'v2' | 'y-webrtc' | 'today' = 'v2'
): V2MeshPeer {
	const child = spawn(process.execPath, [
		runner,
		signalingUrl,
		inviteLink,
		String(tickMs),
		presence
	]);
	const lines: string[] = [];
	const peer: V2MeshPeer = {
		latest: { links: [], conns: 0, maxConns: 0, posts: [] },
		lines,
		post(title) {
			child.stdin.write(JSON.stringify({ post: title }) + '\n');
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

/** Whether the links the peers report join them all into one graph. */
export function isLinkGraphConnected(peers: V2PeerState[]): boolean {
	const ids = peers.map((state) => state.peer).filter((id): id is string => id !== undefined);
	if (ids.length !== peers.length) return false;
	const neighbours = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
	for (const state of peers)
		for (const other of state.links) {
			neighbours.get(state.peer!)?.add(other);
			neighbours.get(other)?.add(state.peer!);
		}
	const reached = new Set([ids[0]!]);
	const queue = [ids[0]!];
	while (queue.length > 0)
		for (const next of neighbours.get(queue.pop()!) ?? [])
			if (!reached.has(next)) {
				reached.add(next);
				queue.push(next);
			}
	return reached.size === ids.length;
}
