// Presence in a room, measured, not computed (#14, item 5): n devices, each a
// Node process running the app's provider and v2 engine over @roamhq/wrtc
// (tests/support/v2-mesh-peer.ts), open one space. Once they are linked,
// every device's presence messages sent are summed over a window and divided
// by the renewals made in it (y-protocols renews each device's state every
// 15 s), in three rooms one after the other:
//   v2         the bounded mesh, presence as PRESENCE (src/lib/sync/v2/presence.ts)
//   v2 before  the bounded mesh, y-webrtc's awareness relay (before presence v2)
//   today      every device linked to every other, y-webrtc's awareness relay
// It also says how many others each device holds as here (of n − 1).
//   BENCH_PRESENCE_ROOM=12 (devices), BENCH_PRESENCE_WINDOW_S=45
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAppServer } from '../server/app-server.js';
import { appModules } from './app-modules.js';

const DEVICES = Number(process.env.BENCH_PRESENCE_ROOM ?? 12);
const WINDOW_MS = Number(process.env.BENCH_PRESENCE_WINDOW_S ?? 45) * 1000;
const runner = fileURLToPath(new URL('../tests/support/run-v2-mesh-peer.js', import.meta.url));

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} signal @param {string} link @param {string} mode */
function startPeer(signal, link, mode) {
	const child = spawn(process.execPath, [runner, signal, link, '20000', mode]);
	const peer = { latest: /** @type {any} */ ({ links: [] }), stop: () => child.kill('SIGKILL') };
	createInterface({ input: child.stdout }).on('line', (line) => {
		try {
			peer.latest = JSON.parse(line);
		} catch {
			// Not a report: a log line.
		}
	});
	child.stderr.resume();
	return peer;
}

/** @param {any[]} states */
function isConnected(states) {
	const ids = states.map((state) => state.peer);
	if (ids.some((id) => !id)) return false;
	const reached = new Set([ids[0]]);
	for (let grew = true; grew;) {
		grew = false;
		for (const state of states)
			for (const other of state.links)
				if (reached.has(state.peer) !== reached.has(other)) {
					reached.add(state.peer);
					reached.add(other);
					grew = true;
				}
	}
	return reached.size === ids.length;
}

/** @param {any[]} states @param {string} key */
const sum = (states, key) => states.reduce((total, state) => total + (state[key] ?? 0), 0);

/** @param {string} signal @param {string} link @param {string} mode */
async function measure(signal, link, mode) {
	const peers = Array.from({ length: DEVICES }, () => startPeer(signal, link, mode));
	try {
		const states = () => peers.map((peer) => peer.latest);
		const deadline = Date.now() + 180_000;
		while (!(states().every((state) => state.links.length >= 2) && isConnected(states()))) {
			if (Date.now() > deadline) throw new Error(`${mode}: the room did not link in 180 s`);
			await sleep(500);
		}
		// Joins settle: links, hellos, first states.
		await sleep(10_000);
		const before = states();
		await sleep(WINDOW_MS);
		const after = states();
		const sent = sum(after, 'presenceSent') - sum(before, 'presenceSent');
		const renewals = sum(after, 'renewals') - sum(before, 'renewals');
		const links = after.reduce((total, state) => total + state.links.length, 0) / DEVICES;
		const here = after.map((state) => state.here ?? 0);
		return {
			mode,
			sent,
			renewals,
			links,
			hereMin: Math.min(...here),
			hereMean: sum(after, 'here') / DEVICES
		};
	} finally {
		for (const peer of peers) peer.stop();
		// y-webrtc peers gone, signaling quiet before the next room.
		await sleep(2_000);
	}
}

const vite = await appModules();
const { makeInviteLink } = await vite.ssrLoadModule('/src/lib/sync/invite.ts');
const { generateSpaceKey } = await vite.ssrLoadModule('/src/lib/sync/keys.ts');
const app = createAppServer({ buildDir: 'static', log: () => {} });
await new Promise((resolve) => app.server.listen(0, '127.0.0.1', () => resolve(undefined)));
const { port } = /** @type {import('node:net').AddressInfo} */ (app.server.address());
const signal = `ws://127.0.0.1:${port}/signal`;
try {
	console.log(
		`presence in a room of ${DEVICES} Node devices, ${WINDOW_MS / 1000} s window (machine shared)`
	);
	/** @type {[string, string][]} */
	const modes = [
		['v2', 'v2 (PRESENCE)'],
		['y-webrtc', 'v2 before (y-webrtc relay)'],
		['today', 'today (full mesh)']
	];
	for (const [mode, label] of modes) {
		const link = makeInviteLink('barnraise:', {
			key: generateSpaceKey(),
			name: `Presence ${mode}`,
			signaling: [signal]
		});
		const result = await measure(signal, link, mode);
		console.log(
			`${label.padEnd(28)} ${(result.sent / Math.max(1, result.renewals)).toFixed(1)} messages per renewal ` +
				`(${result.sent} in ${result.renewals} renewals), ${result.links.toFixed(1)} links a device, ` +
				`here: ${result.hereMean.toFixed(1)} of ${DEVICES - 1} on average, ${result.hereMin} at least`
		);
	}
} finally {
	await app.close();
	await vite.close();
}
