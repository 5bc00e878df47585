// `npm run bench`: Barnraise's sync and load figures in real Chromium, each
// beside plain Yjs doing the same work in the same run. Prints a table and
// writes bench/results/latest.json. Not part of `npm test`: no timing is
// asserted, the figures are for people to read.
//
// This file owns the run: the BENCH_* sizes, one server and one browser for
// every benchmark, the order, the tables and the JSON. Each benchmark lives
// in its own file beside it and returns figures; probes.js holds the
// measuring helpers they share. Nothing here measures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchBrowser, startServer } from '../tests/support/harness.js';
import { benchAssets } from './assets.js';
import { benchEditLatency } from './edit-latency.js';
import { benchFreshJoin } from './fresh-join.js';
import { benchJoinTraffic } from './join-traffic.js';
import { benchLedger } from './ledger.js';
import { benchMesh } from './mesh.js';
import { benchMeshRoom } from './mesh-room.js';
import { benchNodeRooms, printNodeJoins, printNodeRooms } from './node-room.js';
import { benchOpenFromIndexedDb } from './open-from-indexeddb.js';
import { fastJoinSizes, benchFastJoins, printFastJoins } from './fast-join.js';
import { fmt, machine } from './probes.js';
import { benchSignalingLoad, printSignalingLoad } from './signaling-load.js';

const SYNC_SIZES = (process.env.BENCH_SIZES ?? '1000,10000,20000').split(',').map(Number);
const OPEN_SIZE = Number(process.env.BENCH_OPEN_SIZE ?? 10_000);
const EDITS = Number(process.env.BENCH_EDITS ?? 60);
const LEDGER_ENTRIES = Number(process.env.BENCH_LEDGER_ENTRIES ?? 50_000);
const MESH_SIZES = (process.env.BENCH_MESH ?? '2,4,6,8').split(',').map(Number);
const ROOM_SIZES = (process.env.BENCH_ROOM ?? '16').split(',').map(Number);
// Rooms of Node devices (node-room.js): 30 with BENCH_NODE_ROOM=16,30; today's sync beside the smallest.
const NODE_ROOM_SIZES = (process.env.BENCH_NODE_ROOM ?? '16').split(',').map(Number);
const NODE_JOINS = Number(process.env.BENCH_NODE_JOINS ?? 8);
const NODE_JOIN_RUNS = Number(process.env.BENCH_NODE_JOIN_RUNS ?? 3);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 2000);
const BASE_MAP_BYTES = Number(process.env.BENCH_BASE_MAP_BYTES ?? 2 * 1024 * 1024);
const JOIN_POSTS = Number(process.env.BENCH_JOIN_POSTS ?? 2000);
const JOIN_HOLDERS = (process.env.BENCH_JOIN_HOLDERS ?? '1,3,6').split(',').map(Number);

const server = await startServer();
const browser = await launchBrowser();
try {
	const host = machine();
	console.log(
		`Barnraise benchmarks — ${host.cpu}, ${host.memory}, Node ${host.node}, ${host.chromium}\n`
	);

	const sync = [];
	for (const size of SYNC_SIZES) sync.push(await benchFreshJoin(browser, server.url, size));
	console.log('Fresh peer joins a space (real WebRTC between two browser contexts, loopback)');
	console.table(
		sync.map((row) => ({
			posts: row.size,
			'state size': `${(row.bytes / 1024).toFixed(0)} KiB`,
			'join → all posts shown': fmt(row.totalMs),
			'link open → all shown': fmt(row.afterLinkMs),
			'plain Yjs encode+apply': fmt(row.plainMs),
			ratio: `${(row.afterLinkMs / row.plainMs).toFixed(1)}×`,
			'raw channel, same bytes': fmt(row.rawMs)
		}))
	);

	const joins = [];
	for (const holders of JOIN_HOLDERS)
		joins.push(await benchJoinTraffic(browser, server.url, { posts: JOIN_POSTS, holders }));
	console.log(
		`\nJoin traffic: a fresh device joins ${JOIN_POSTS} posts held by 1, 3 or 6 devices (data-channel bytes from getStats)`
	);
	console.table(
		joins.map((row) => ({
			holders: row.holders,
			'state size': `${(row.stateBytes / 1024).toFixed(0)} KiB`,
			'received ÷ state': (row.bytesReceived / row.stateBytes).toFixed(2),
			'sent ÷ state': (row.bytesSent / row.stateBytes).toFixed(2),
			'messages in / out': `${row.messagesReceived} / ${row.messagesSent}`,
			'invite → all shown': fmt(row.joinMs)
		}))
	);

	const fastJoins = await benchFastJoins(browser, server.url, fastJoinSizes());
	printFastJoins(fastJoins, fmt);

	const open = await benchOpenFromIndexedDb(browser, server.url, OPEN_SIZE);
	console.log('\nOpen a space from IndexedDB (page load → first rendered board, median of 3)');
	console.table([
		{
			posts: open.size,
			'to rendered board': fmt(open.renderedMs),
			'plain Yjs encode+apply': fmt(open.plainMs),
			ratio: `${(open.renderedMs / open.plainMs).toFixed(1)}×`
		}
	]);

	const latency = await benchEditLatency(browser, server.url, EDITS);
	console.log('\nEdit propagation between two browsers (new post in A → observed in B)');
	console.table([
		{
			edits: latency.edits,
			p50: fmt(latency.p50),
			p95: fmt(latency.p95),
			'plain Yjs encode+apply of one edit': fmt(latency.plainMs)
		}
	]);

	const mesh = [];
	for (const n of MESH_SIZES) mesh.push(await benchMesh(browser, server.url, n));
	console.log('\nLive mesh: n devices join one space at once (one browser context each)');
	console.table(
		mesh.map((row) => ({
			devices: row.n,
			'all linked to all': fmt(row.meshMs),
			'new post reaches all, p50': fmt(row.p50),
			p95: fmt(row.p95)
		}))
	);

	const rooms = [];
	for (const n of ROOM_SIZES) rooms.push(await benchMeshRoom(browser, server.url, n));
	console.log(
		'\nA room measured: n devices open one space at once; messages summed from every device’s getStats()'
	);
	console.table(
		rooms.map((row) => ({
			devices: row.n,
			'open → first post on every board': fmt(row.everyBoardMs),
			'of which opening the pages': fmt(row.joinedMs),
			'links per device (min–max)': `${row.linksMin}–${row.linksMax}`,
			'messages per small edit': row.messagesPerEdit,
			'same window, no edit': row.quietMessages,
			'edit → every board': fmt(row.editMs)
		}))
	);

	const { rooms: nodeRooms, joinRuns: nodeJoins } = await benchNodeRooms({
		sizes: NODE_ROOM_SIZES,
		joins: NODE_JOINS,
		runs: NODE_JOIN_RUNS
	});
	printNodeRooms(nodeRooms, fmt);
	printNodeJoins(nodeJoins, fmt);

	const ledger = await benchLedger(browser, server.url, LEDGER_ENTRIES);
	console.log(
		`\nSupply log: ${ledger.entries.toLocaleString('en')} entries, 20 sites, 200 items (${(ledger.bytes / 1024).toFixed(0)} KiB of state)`
	);
	console.table([
		{
			'full stock fold': fmt(ledger.foldMs),
			'one new entry (incremental)': fmt(ledger.incrementalMs),
			'plain Yjs: read all entries': fmt(ledger.plainReadMs),
			'fold / plain read': `${(ledger.foldMs / ledger.plainReadMs).toFixed(1)}×`
		}
	]);
	console.table([
		{
			'page load → stock view': fmt(ledger.openMs),
			'plain Yjs: decode same state': fmt(ledger.plainDecodeMs),
			ratio: `${(ledger.openMs / ledger.plainDecodeMs).toFixed(1)}×`
		}
	]);

	const assets = await benchAssets(browser, server.url, ASSETS, BASE_MAP_BYTES);
	console.log(
		`\nAsset map: ${assets.assets.toLocaleString('en')} assets, half on a picture base map of ${(assets.imageBytes / 1024 / 1024).toFixed(1)} MiB (${(assets.stateBytes / 1024 / 1024).toFixed(1)} MiB of state; median of 3)`
	);
	console.table([
		{
			'page load → list': fmt(assets.listMs),
			'page load → picture map with pins': fmt(assets.imageMapMs),
			'open geographic map (MapLibre) → pins': fmt(assets.geoMapMs),
			'plain Yjs encode+apply': fmt(assets.plainMs)
		}
	]);
	console.table([
		{
			'fresh device: join → picture arrived': fmt(assets.imageArrivedMs),
			'raw channel, same bytes': fmt(assets.rawMs)
		}
	]);

	const signalingLoad = await benchSignalingLoad();
	printSignalingLoad(signalingLoad);

	mkdirSync(new URL('./results', import.meta.url), { recursive: true });
	writeFileSync(
		new URL('./results/latest.json', import.meta.url),
		JSON.stringify(
			{
				at: new Date().toISOString(),
				machine: host,
				sync,
				joins,
				fastJoins,
				open,
				latency,
				mesh,
				rooms,
				nodeRooms,
				nodeJoins,
				ledger,
				assets,
				signalingLoad
			},
			null,
			2
		)
	);
} finally {
	await browser.close();
	await server.stop();
}
