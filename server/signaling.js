// Signaling for y-webrtc peers: the subscribe / unsubscribe / publish / ping
// protocol of y-webrtc's bin/server.js, so stock clients use it unchanged.
//
// It owns topic membership and fan-out only. It must never crash on what a
// client sends, never keep state beyond the open sockets, and never learn
// anything about a space: topics are derived room names and payloads are
// encrypted by the peers.
import { WebSocketServer } from 'ws';

/**
 * @typedef {object} SignalingOptions
 * @property {number} [maxPayloadBytes] a frame larger than this closes the socket (1009)
 * @property {number} [maxTopicsPerConnection] further subscriptions are refused
 * @property {number} [maxTopicLength] longer topic names are refused
 * @property {number} [maxProblemsPerConnection] after this many bad frames the socket is closed
 * @property {number} [maxBufferedBytes] a client that reads slower than this is dropped
 * @property {number} [pingIntervalMs] a client that misses one ping round is dropped
 * @property {(line: string) => void} [log]
 */

export const SIGNALING_DEFAULTS = Object.freeze({
	maxPayloadBytes: 64 * 1024,
	maxTopicsPerConnection: 64,
	maxTopicLength: 256,
	maxProblemsPerConnection: 20,
	maxBufferedBytes: 4 * 1024 * 1024,
	pingIntervalMs: 30_000
});

/**
 * @typedef {object} Client
 * @property {import('ws').WebSocket} socket
 * @property {Set<string>} topics
 * @property {boolean} isAlive
 * @property {number} problems
 * @property {string} label short name for log lines
 */

/** @param {SignalingOptions} [options] */
export function createSignalingServer(options = {}) {
	const settings = { ...SIGNALING_DEFAULTS, ...options };
	const log = options.log ?? ((line) => console.log(line));
	/** @type {Map<string, Set<Client>>} */
	const topics = new Map();
	/** @type {Set<Client>} */
	const clients = new Set();
	let nextClientNumber = 1;

	const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes });

	/**
	 * @param {Client} client
	 * @param {string} problem
	 */
	function reportProblem(client, problem) {
		client.problems += 1;
		log(`signaling: ${client.label}: ${problem}`);
		if (client.problems >= settings.maxProblemsPerConnection) {
			log(`signaling: ${client.label}: closed after ${client.problems} bad frames`);
			client.socket.close(1008, 'too many bad frames');
		}
	}

	/**
	 * @param {Client} client
	 * @param {unknown} message
	 */
	function send(client, message) {
		const { socket } = client;
		if (socket.readyState !== socket.OPEN) return;
		if (socket.bufferedAmount > settings.maxBufferedBytes) {
			log(
				`signaling: ${client.label}: dropped, not reading (${socket.bufferedAmount} bytes queued)`
			);
			socket.terminate();
			return;
		}
		socket.send(JSON.stringify(message));
	}

	/**
	 * @param {Client} client
	 * @param {unknown} topicList
	 */
	function subscribe(client, topicList) {
		if (!Array.isArray(topicList)) {
			reportProblem(client, 'subscribe without a topics array');
			return;
		}
		for (const topic of topicList) {
			if (
				typeof topic !== 'string' ||
				topic.length === 0 ||
				topic.length > settings.maxTopicLength
			) {
				reportProblem(client, 'subscribe with an invalid topic name');
				continue;
			}
			if (client.topics.has(topic)) continue;
			if (client.topics.size >= settings.maxTopicsPerConnection) {
				reportProblem(client, `topic limit (${settings.maxTopicsPerConnection}) reached`);
				return;
			}
			client.topics.add(topic);
			let subscribers = topics.get(topic);
			if (!subscribers) {
				subscribers = new Set();
				topics.set(topic, subscribers);
			}
			subscribers.add(client);
		}
	}

	/**
	 * @param {Client} client
	 * @param {string} topic
	 */
	function leaveTopic(client, topic) {
		const subscribers = topics.get(topic);
		if (subscribers) {
			subscribers.delete(client);
			if (subscribers.size === 0) topics.delete(topic);
		}
		client.topics.delete(topic);
	}

	/**
	 * @param {Client} client
	 * @param {import('ws').RawData} raw
	 * @param {boolean} isBinary
	 */
	function handleFrame(client, raw, isBinary) {
		if (isBinary) {
			reportProblem(client, 'binary frame ignored');
			return;
		}
		/** @type {unknown} */
		let message;
		try {
			message = JSON.parse(raw.toString());
		} catch {
			reportProblem(client, 'frame is not JSON');
			return;
		}
		if (typeof message !== 'object' || message === null || Array.isArray(message)) {
			reportProblem(client, 'frame is not a JSON object');
			return;
		}
		const frame = /** @type {Record<string, unknown>} */ (message);
		switch (frame.type) {
			case 'subscribe':
				subscribe(client, frame.topics);
				break;
			case 'unsubscribe':
				if (!Array.isArray(frame.topics)) {
					reportProblem(client, 'unsubscribe without a topics array');
					break;
				}
				for (const topic of frame.topics) {
					if (typeof topic === 'string') leaveTopic(client, topic);
				}
				break;
			case 'publish': {
				if (typeof frame.topic !== 'string') {
					reportProblem(client, 'publish without a topic');
					break;
				}
				const subscribers = topics.get(frame.topic);
				if (!subscribers) break;
				// y-webrtc's server tells receivers how many subscribers there are.
				const outgoing = { ...frame, clients: subscribers.size };
				for (const receiver of subscribers) send(receiver, outgoing);
				break;
			}
			case 'ping':
				send(client, { type: 'pong' });
				break;
			default:
				reportProblem(
					client,
					`unknown frame type ${JSON.stringify(String(frame.type)).slice(0, 40)}`
				);
		}
	}

	wss.on('connection', (socket, request) => {
		/** @type {Client} */
		const client = {
			socket,
			topics: new Set(),
			isAlive: true,
			problems: 0,
			label: `#${nextClientNumber++} ${request.socket.remoteAddress ?? '?'}`
		};
		clients.add(client);
		socket.on('pong', () => {
			client.isAlive = true;
		});
		socket.on('message', (raw, isBinary) => {
			try {
				handleFrame(client, raw, isBinary);
			} catch (error) {
				// A bug of ours must cost one frame, never the process.
				log(`signaling: ${client.label}: internal error: ${String(error)}`);
			}
		});
		socket.on('error', (error) => {
			// ws reports oversized frames (1009) and protocol violations here.
			log(`signaling: ${client.label}: ${error.message}`);
		});
		socket.on('close', () => {
			for (const topic of [...client.topics]) leaveTopic(client, topic);
			clients.delete(client);
		});
	});

	const pingTimer = setInterval(() => {
		for (const client of clients) {
			if (!client.isAlive) {
				log(`signaling: ${client.label}: dropped, no pong`);
				client.socket.terminate();
				continue;
			}
			client.isAlive = false;
			try {
				client.socket.ping();
			} catch {
				client.socket.terminate();
			}
		}
	}, settings.pingIntervalMs);
	pingTimer.unref();

	return {
		/**
		 * Hand an HTTP upgrade request for the signaling path to the server.
		 * @param {import('node:http').IncomingMessage} request
		 * @param {import('node:stream').Duplex} socket
		 * @param {Buffer} head
		 */
		handleUpgrade(request, socket, head) {
			wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
		},
		/** Counts for status lines and tests. */
		stats() {
			return { clients: clients.size, topics: topics.size };
		},
		close() {
			clearInterval(pingTimer);
			for (const client of clients) client.socket.terminate();
			wss.close();
		}
	};
}
