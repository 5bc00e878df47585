// A legitimate room for the signaling load benchmark, in its own process so
// the attackers' work does not delay its clock: one peer publishes a frame the
// size of an encrypted ICE candidate every 50 ms, another times each arrival.
// argv: <signaling url>. IPC: any message → { latencies } since the last one.
import { WebSocket } from 'ws';

const url = /** @type {string} */ (process.argv[2]);

/** @returns {Promise<WebSocket>} */
function open() {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url);
		socket.once('open', () => resolve(socket));
		socket.once('error', reject);
	});
}

const sender = await open();
const receiver = await open();
for (const socket of [sender, receiver])
	socket.send(JSON.stringify({ type: 'subscribe', topics: ['legit'] }));
await new Promise((resolve) => setTimeout(resolve, 100));

/** @type {Map<number, number>} */
const sentAt = new Map();
/** @type {number[]} */
let latencies = [];
receiver.on('message', (data) => {
	const message = JSON.parse(data.toString());
	const at = sentAt.get(message.data?.seq);
	if (at !== undefined) latencies.push(performance.now() - at);
});
let seq = 0;
const padding = 'p'.repeat(500);
setInterval(() => {
	seq += 1;
	sentAt.set(seq, performance.now());
	sender.send(JSON.stringify({ type: 'publish', topic: 'legit', data: { seq, padding } }));
}, 50);

process.on('message', () => {
	process.send?.({ latencies, sent: seq });
	latencies = [];
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
