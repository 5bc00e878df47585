import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../support/harness';

const peerScript = fileURLToPath(new URL('../support/stock-peer.js', import.meta.url));

interface StockPeer {
	process: ChildProcessWithoutNullStreams;
	latest: { map: Record<string, unknown>; peers: number; ready: boolean };
	set(key: string, value: unknown): void;
	until(check: (state: StockPeer['latest']) => boolean, timeoutMs?: number): Promise<void>;
	stop(): void;
}

function startPeer(
	signalingUrl: string,
	room: string,
	password: string,
	mode: 'stock' | 'guarded' = 'stock'
): StockPeer {
	const child = spawn(process.execPath, [peerScript, signalingUrl, room, password, mode]);
	const peer: StockPeer = {
		process: child,
		latest: { map: {}, peers: 0, ready: false },
		set(key, value) {
			child.stdin.write(JSON.stringify({ set: [key, value] }) + '\n');
		},
		async until(check, timeoutMs = 15_000) {
			await vi.waitFor(
				() => {
					if (!check(peer.latest))
						throw new Error(`peer state never matched: ${JSON.stringify(peer.latest)}`);
				},
				{ timeout: timeoutMs, interval: 50 }
			);
		},
		stop() {
			child.kill();
		}
	};
	createInterface({ input: child.stdout }).on('line', (line) => {
		try {
			peer.latest = JSON.parse(line);
		} catch {
			// y-webrtc may log; only our JSON lines matter.
		}
	});
	return peer;
}

describe('stock y-webrtc clients use our signaling server unchanged', () => {
	let server: RunningServer;
	const peers: StockPeer[] = [];

	beforeAll(async () => {
		server = await startServer();
	});
	afterAll(async () => {
		for (const peer of peers) peer.stop();
		await server?.stop();
	});

	it.each([
		['with a password', 'interop-secret'],
		['without a password', '']
	])('two Node peers (@roamhq/wrtc) find each other and sync, %s', async (_label, password) => {
		const url = `ws://127.0.0.1:${server.port}/signal`;
		const room = `interop-room-${password.length}`;
		// One after the other: stock y-webrtc mishandles offer glare when two
		// peers announce at the same instant (the app adds a watchdog for that;
		// this test is about the signaling server, not about y-webrtc's glare).
		const a = startPeer(url, room, password);
		peers.push(a);
		await a.until((state) => state.ready);
		const b = startPeer(url, room, password);
		peers.push(b);
		await a.until((state) => state.peers === 1);
		await b.until((state) => state.peers === 1);
		a.set('from-a', 'hello');
		b.set('from-b', 42);
		await a.until((state) => state.map['from-b'] === 42);
		await b.until((state) => state.map['from-a'] === 'hello');
		expect(a.latest.map).toEqual(b.latest.map);
		// Nothing the stock clients sent upset the server.
		expect(server.logLines.filter((line) => !line.includes('no pong'))).toEqual([]);
	});

	// Our shim names peer ids so the server can route; a stock peer names none
	// and must still get every frame meant for it, by broadcast.
	it('a stock peer and two with our signaling shim share one room', async () => {
		const url = `ws://127.0.0.1:${server.port}/signal`;
		const room = 'interop-mixed-room';
		const password = 'interop-secret';
		const routedBefore = server.signalingStats()?.framesRouted ?? 0;
		// One after the other, for y-webrtc's glare (as above).
		const ours = startPeer(url, room, password, 'guarded');
		peers.push(ours);
		await ours.until((state) => state.ready, 30_000);
		const stock = startPeer(url, room, password);
		peers.push(stock);
		await stock.until((state) => state.peers === 1);
		const alsoOurs = startPeer(url, room, password, 'guarded');
		peers.push(alsoOurs);
		for (const peer of [ours, stock, alsoOurs])
			await peer.until((state) => state.peers === 2, 30_000);
		ours.set('from-ours', 1);
		stock.set('from-stock', 2);
		alsoOurs.set('from-also-ours', 3);
		const all = { 'from-ours': 1, 'from-stock': 2, 'from-also-ours': 3 };
		for (const peer of [ours, stock, alsoOurs])
			await peer.until((state) =>
				Object.entries(all).every(([key, value]) => state.map[key] === value)
			);
		expect(ours.latest.map).toEqual(stock.latest.map);
		expect(alsoOurs.latest.map).toEqual(stock.latest.map);
		// The two shimmed peers' offers, answers and candidates went to one peer each.
		expect((server.signalingStats()?.framesRouted ?? 0) - routedBefore).toBeGreaterThan(0);
		expect(server.logLines.filter((line) => !line.includes('no pong'))).toEqual([]);
	});
});
