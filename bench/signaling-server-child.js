// The signaling server alone in its own process, for the signaling load
// benchmark: its memory is then its own, and "stayed up" means this process
// is still alive. Reports its port, then its peak memory and counters when
// asked over IPC.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createSignalingServer } from '../server/signaling.js';

const signaling = createSignalingServer({ log: () => {} });
const server = createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (request, socket, head) => signaling.handleUpgrade(request, socket, head));

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let peakRss = 0;
let peakHeap = 0;
setInterval(() => {
	const memory = process.memoryUsage();
	peakRss = Math.max(peakRss, memory.rss);
	peakHeap = Math.max(peakHeap, memory.heapUsed + memory.external + memory.arrayBuffers);
}, 50).unref();

server.listen(0, '127.0.0.1', () => {
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	process.send?.({ port });
});
process.on('message', () => {
	process.send?.({
		peakRss,
		peakHeap,
		loopDelayP99: loopDelay.percentile(99) / 1e6,
		loopDelayMax: loopDelay.max / 1e6,
		...signaling.stats()
	});
	loopDelay.reset();
});
process.on('disconnect', () => process.exit(0));
