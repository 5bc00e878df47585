// Signaling for y-webrtc peers: the subscribe / unsubscribe / publish / ping
// protocol of y-webrtc's bin/server.js, so stock clients use it unchanged.
//
// It owns topic membership and fan-out only. It must never crash on what a
// client sends, never keep state beyond the open sockets, never learn
// anything about a space (topics are derived room names and payloads are
// encrypted by the peers), and never let one client or one room use up the
// process: every input is bounded (frame size, frame and fan-out rates,
// topics, subscribers, connections per address) and so is the memory held
// for slow readers, which are dropped rather than buffered for.
//
// Routing (our clients only; stock ones send neither field and get every
// frame of the room as before): a subscribe may name the subscriber's
// y-webrtc peer id for each topic (`peerIds`, beside `topics`), and a
// publish may name the one peer it is for (`to`). A publish for an id that
// exactly one subscriber of the topic registered goes to that subscriber
// only; anything else is broadcast. The server learns which connection has
// which random per-session peer id, nothing more. An id registered by two
// connections is broadcast, so a connection claiming another's id gets
// copies, as every subscriber did before routing, but never takes them away
// from the connection that holds it.
import { WebSocketServer } from 'ws';
import { AddressCounts, TokenBucket } from './signaling-limits.js';

/**
 * @typedef {object} SignalingOptions
 * @property {number} [maxPayloadBytes] a frame larger than this closes the socket (1009)
 * @property {number} [maxTopicsPerConnection] further subscriptions are refused
 * @property {number} [maxSubscribersPerTopic] further subscribers to a full topic are refused
 * @property {number} [maxTopicLength] longer topic names are refused
 * @property {number} [maxProblemsPerConnection] after this many bad frames the socket is closed
 * @property {number} [maxBufferedBytes] a client with more than this waiting to be sent is dropped
 * @property {number} [maxTotalBufferedBytes] over this in all, the slowest readers are dropped
 * @property {number} [maxConnections] further connections are refused (503)
 * @property {number} [maxConnectionsPerAddress] further connections from one address are refused (429)
 * @property {number} [framesPerSecond] sustained frames per connection (burst: framesBurst)
 * @property {number} [framesBurst]
 * @property {number} [fanoutBytesPerSecond] bytes one connection's publishes may fan out per second
 * @property {number} [fanoutBytesBurst]
 * @property {number} [topicFanoutBytesPerSecond] bytes one topic may fan out per second, from all
 *   its publishers together, so no room crowds out the others
 * @property {number} [topicFanoutBytesBurst]
 * @property {number} [pingIntervalMs] a client that misses one ping round is dropped
 * @property {() => number} [now] clock for the rate limits (tests)
 * @property {(line: string) => void} [log]
 */

/** Longest peer id taken: y-webrtc's are 36-character UUIDs (the clients' own limit). */
export const MAX_PEER_ID_LENGTH = 128;

/** @param {unknown} value @returns {value is string} */
function isPeerId(value) {
	return typeof value === 'string' && value.length > 0 && value.length <= MAX_PEER_ID_LENGTH;
}

/**
 * Why these numbers: y-webrtc's frames are one encrypted offer, answer or ICE
 * candidate each (a few hundred bytes to ~3 KB after encryption and base64),
 * and a stock client's publish goes to every subscriber of the room (ours
 * are routed to one). A room of 30 peers all joining at once sends ~12
 * frames per pair: bursts of a few hundred frames and tens of MB of fan-out
 * per room when broadcast, well inside these limits, while one connection
 * can no longer turn 60 KB frames into 1.5 GB of fan-out.
 */
export const SIGNALING_DEFAULTS = Object.freeze({
	maxPayloadBytes: 64 * 1024,
	maxTopicsPerConnection: 64,
	maxSubscribersPerTopic: 256,
	maxTopicLength: 256,
	maxProblemsPerConnection: 20,
	maxBufferedBytes: 1024 * 1024,
	maxTotalBufferedBytes: 64 * 1024 * 1024,
	maxConnections: 4000,
	maxConnectionsPerAddress: 64,
	framesPerSecond: 50,
	framesBurst: 300,
	fanoutBytesPerSecond: 2 * 1024 * 1024,
	fanoutBytesBurst: 8 * 1024 * 1024,
	topicFanoutBytesPerSecond: 8 * 1024 * 1024,
	topicFanoutBytesBurst: 32 * 1024 * 1024,
	pingIntervalMs: 30_000
});

/**
 * @typedef {object} Client
 * @property {import('ws').WebSocket} socket
 * @property {Set<string>} topics
 * @property {Map<string, string>} peerIds topic → the peer id this connection registered in it
 * @property {boolean} isAlive
 * @property {boolean} isDropped set once the socket is terminated; its bytes are no longer counted
 * @property {number} problems
 * @property {number} queuedBytes sent to ws and not yet written to the network
 * @property {TokenBucket} frames
 * @property {TokenBucket} fanout
 * @property {Set<string>} noted kinds of dropped frame already logged for this client
 * @property {string} address
 * @property {string} label short name for log lines
 */

/**
 * @typedef {object} Topic
 * @property {Set<Client>} subscribers
 * @property {Map<string, Set<Client>>} holders peer id → the subscribers that registered it
 * @property {TokenBucket} fanout
 */

/** @param {SignalingOptions} [options] */
export function createSignalingServer(options = {}) {
	const settings = { ...SIGNALING_DEFAULTS, ...options };
	const log = options.log ?? ((line) => console.log(line));
	const now = options.now ?? Date.now;
	/** @type {Map<string, Topic>} */
	const topics = new Map();
	/** @type {Set<Client>} */
	const clients = new Set();
	const addresses = new AddressCounts();
	let nextClientNumber = 1;
	let totalQueuedBytes = 0;
	let peakQueuedBytes = 0;
	const counters = {
		framesIn: 0,
		bytesIn: 0,
		bytesOut: 0,
		framesDropped: 0,
		framesRouted: 0,
		framesBroadcast: 0,
		clientsDropped: 0,
		connectionsRefused: 0
	};

	// No permessage-deflate: it costs memory per socket and can be inflated into a bomb.
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: settings.maxPayloadBytes,
		perMessageDeflate: false
	});

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
	 * A frame dropped by a limit: counted always, logged once per kind per
	 * client so a flood cannot flood the log too.
	 * @param {Client} client
	 * @param {string} kind
	 */
	function noteDropped(client, kind) {
		counters.framesDropped += 1;
		if (client.noted.has(kind)) return;
		client.noted.add(kind);
		log(`signaling: ${client.label}: ${kind} (further ones not logged)`);
	}

	/**
	 * Something worth a log line that is not the client's fault (a duplicate
	 * peer id can be a reconnect whose old socket is not yet gone): logged
	 * once per kind per client, never counted as a problem.
	 * @param {Client} client
	 * @param {string} kind
	 */
	function noteOnce(client, kind) {
		if (client.noted.has(kind)) return;
		client.noted.add(kind);
		log(`signaling: ${client.label}: ${kind} (further ones not logged)`);
	}

	/**
	 * @param {Client} client
	 * @param {string} why
	 */
	function dropClient(client, why) {
		if (client.isDropped) return;
		client.isDropped = true;
		totalQueuedBytes -= client.queuedBytes;
		client.queuedBytes = 0;
		counters.clientsDropped += 1;
		log(`signaling: ${client.label}: dropped, ${why}`);
		client.socket.terminate();
	}

	/** The client with the most bytes waiting: the slowest reader. */
	function slowestClient() {
		/** @type {Client | null} */
		let slowest = null;
		for (const client of clients) {
			if (!client.isDropped && client.queuedBytes > (slowest?.queuedBytes ?? 0)) slowest = client;
		}
		return slowest;
	}

	/**
	 * Queue one encoded frame for a client, within its own and the global budget.
	 * @param {Client} client
	 * @param {Buffer} payload shared by all receivers of a publish: ws does not copy it
	 */
	function deliver(client, payload) {
		const { socket } = client;
		if (client.isDropped || socket.readyState !== socket.OPEN) return;
		const size = payload.length;
		if (client.queuedBytes + size > settings.maxBufferedBytes) {
			dropClient(client, `not reading (${client.queuedBytes} bytes queued)`);
			return;
		}
		while (totalQueuedBytes + size > settings.maxTotalBufferedBytes) {
			const slowest = slowestClient();
			if (!slowest) break;
			dropClient(
				slowest,
				`slowest reader while over the send budget (${slowest.queuedBytes} bytes queued)`
			);
			if (slowest === client) return;
		}
		client.queuedBytes += size;
		totalQueuedBytes += size;
		peakQueuedBytes = Math.max(peakQueuedBytes, totalQueuedBytes);
		counters.bytesOut += size;
		socket.send(payload, { binary: false }, () => {
			// Written to the network (or failed): no longer ours to hold.
			if (client.isDropped) return;
			client.queuedBytes -= size;
			totalQueuedBytes -= size;
		});
	}

	/**
	 * @param {Client} client
	 * @param {unknown} message
	 */
	function send(client, message) {
		deliver(client, Buffer.from(JSON.stringify(message)));
	}

	/**
	 * The peer ids of a subscribe: one per topic, each an id or null; null
	 * for all when absent, and for all (with a problem noted) when malformed,
	 * so the topics are still subscribed to, as a stock client's are.
	 * @param {Client} client
	 * @param {unknown[]} topicList
	 * @param {unknown} peerIdList
	 * @returns {(string | null)[]}
	 */
	function readPeerIds(client, topicList, peerIdList) {
		const none = topicList.map(() => null);
		if (peerIdList === undefined) return none;
		if (
			!Array.isArray(peerIdList) ||
			peerIdList.length !== topicList.length ||
			!peerIdList.every((id) => id === null || isPeerId(id))
		) {
			reportProblem(client, 'subscribe with invalid peer ids (subscribed without them)');
			return none;
		}
		return /** @type {(string | null)[]} */ (peerIdList);
	}

	/**
	 * Register `peerId` as `client`'s in `name`, which it has subscribed to.
	 * @param {Client} client
	 * @param {string} name
	 * @param {string} peerId
	 */
	function registerPeerId(client, name, peerId) {
		const held = client.peerIds.get(name);
		if (held === peerId) return; // y-webrtc subscribes again after every closed link.
		if (held !== undefined) {
			reportProblem(client, 'a second peer id in one topic refused (the first is kept)');
			return;
		}
		const topic = /** @type {Topic} */ (topics.get(name));
		let holders = topic.holders.get(peerId);
		if (!holders) {
			holders = new Set();
			topic.holders.set(peerId, holders);
		}
		holders.add(client);
		client.peerIds.set(name, peerId);
		if (holders.size > 1) {
			for (const holder of holders)
				noteOnce(holder, 'peer id claimed by more than one connection: its frames are broadcast');
		}
	}

	/**
	 * @param {Client} client
	 * @param {unknown} topicList
	 * @param {unknown} peerIdList
	 */
	function subscribe(client, topicList, peerIdList) {
		if (!Array.isArray(topicList)) {
			reportProblem(client, 'subscribe without a topics array');
			return;
		}
		const peerIds = readPeerIds(client, topicList, peerIdList);
		for (const [index, name] of topicList.entries()) {
			if (typeof name !== 'string' || name.length === 0 || name.length > settings.maxTopicLength) {
				reportProblem(client, 'subscribe with an invalid topic name');
				continue;
			}
			const peerId = peerIds[index];
			if (client.topics.has(name)) {
				if (peerId) registerPeerId(client, name, peerId);
				continue;
			}
			if (client.topics.size >= settings.maxTopicsPerConnection) {
				reportProblem(client, `topic limit (${settings.maxTopicsPerConnection}) reached`);
				return;
			}
			let topic = topics.get(name);
			if (!topic) {
				topic = {
					subscribers: new Set(),
					holders: new Map(),
					fanout: new TokenBucket(
						settings.topicFanoutBytesBurst,
						settings.topicFanoutBytesPerSecond,
						now
					)
				};
				topics.set(name, topic);
			}
			if (topic.subscribers.size >= settings.maxSubscribersPerTopic) {
				noteDropped(client, `topic full (${settings.maxSubscribersPerTopic} subscribers)`);
				continue;
			}
			client.topics.add(name);
			topic.subscribers.add(client);
			if (peerId) registerPeerId(client, name, peerId);
		}
	}

	/**
	 * @param {Client} client
	 * @param {string} name
	 */
	function leaveTopic(client, name) {
		const topic = topics.get(name);
		const peerId = client.peerIds.get(name);
		if (topic && peerId !== undefined) {
			const holders = topic.holders.get(peerId);
			holders?.delete(client);
			if (holders?.size === 0) topic.holders.delete(peerId);
		}
		if (topic) {
			topic.subscribers.delete(client);
			if (topic.subscribers.size === 0) topics.delete(name);
		}
		client.topics.delete(name);
		client.peerIds.delete(name);
	}

	/**
	 * @param {Client} client
	 * @param {Record<string, unknown>} frame
	 */
	function publish(client, frame) {
		if (typeof frame.topic !== 'string') {
			reportProblem(client, 'publish without a topic');
			return;
		}
		// Only members of a room speak in it: y-webrtc always subscribes first.
		if (!client.topics.has(frame.topic)) {
			noteDropped(client, 'publish to a topic it has not subscribed to');
			return;
		}
		const { to, ...forwarded } = frame;
		if (to !== undefined && !isPeerId(to)) {
			reportProblem(client, 'publish with an invalid address (dropped)');
			return;
		}
		const topic = /** @type {Topic} */ (topics.get(frame.topic));
		const holders = to === undefined ? undefined : topic.holders.get(to);
		const receivers = holders?.size === 1 ? holders : topic.subscribers;
		// y-webrtc's server tells receivers how many subscribers there are. The
		// address is not passed on: whoever gets a broadcast learns no peer id.
		const payload = Buffer.from(JSON.stringify({ ...forwarded, clients: topic.subscribers.size }));
		const cost = payload.length * receivers.size;
		if (!client.fanout.take(cost)) {
			noteDropped(client, 'publishing faster than its fan-out allowance');
			return;
		}
		if (!topic.fanout.take(cost)) {
			noteDropped(client, "publishing faster than its topic's fan-out allowance");
			return;
		}
		if (receivers === holders) counters.framesRouted += 1;
		else counters.framesBroadcast += 1;
		for (const receiver of receivers) deliver(receiver, payload);
	}

	/**
	 * @param {Client} client
	 * @param {import('ws').RawData} raw
	 * @param {boolean} isBinary
	 */
	function handleFrame(client, raw, isBinary) {
		const size = Array.isArray(raw)
			? raw.reduce((sum, part) => sum + part.length, 0)
			: /** @type {Buffer | ArrayBuffer} */ (raw).byteLength;
		counters.framesIn += 1;
		counters.bytesIn += size;
		// Checked before parsing, so a flood costs a counter, not a JSON.parse;
		// then the socket stops being read until a frame's worth has refilled,
		// so TCP pushes back on the sender instead of us reading and discarding.
		if (!client.frames.take(1)) {
			noteDropped(client, 'sending frames faster than its allowance');
			if (!client.socket.isPaused) {
				client.socket.pause();
				setTimeout(() => client.socket.resume(), 1000 / settings.framesPerSecond).unref();
			}
			return;
		}
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
				subscribe(client, frame.topics, frame.peerIds);
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
			case 'publish':
				publish(client, frame);
				break;
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
		const address = request.socket.remoteAddress ?? '?';
		/** @type {Client} */
		const client = {
			socket,
			topics: new Set(),
			peerIds: new Map(),
			isAlive: true,
			isDropped: false,
			problems: 0,
			queuedBytes: 0,
			frames: new TokenBucket(settings.framesBurst, settings.framesPerSecond, now),
			fanout: new TokenBucket(settings.fanoutBytesBurst, settings.fanoutBytesPerSecond, now),
			noted: new Set(),
			address,
			label: `#${nextClientNumber++} ${address}`
		};
		clients.add(client);
		addresses.add(address);
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
			if (!client.isDropped) {
				client.isDropped = true;
				totalQueuedBytes -= client.queuedBytes;
				client.queuedBytes = 0;
			}
			clients.delete(client);
			addresses.remove(address);
		});
	});

	const pingTimer = setInterval(() => {
		for (const client of clients) {
			if (!client.isAlive) {
				dropClient(client, 'no pong');
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

	/** @type {Set<string>} */
	const refusedAddresses = new Set();

	/**
	 * @param {import('node:stream').Duplex} socket
	 * @param {string} status
	 * @param {string} address
	 */
	function refuse(socket, status, address) {
		counters.connectionsRefused += 1;
		if (!refusedAddresses.has(address)) {
			refusedAddresses.add(address);
			log(`signaling: refused connections from ${address}: ${status}`);
		}
		socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
	}

	return {
		/**
		 * Hand an HTTP upgrade request for the signaling path to the server.
		 * @param {import('node:http').IncomingMessage} request
		 * @param {import('node:stream').Duplex} socket
		 * @param {Buffer} head
		 */
		handleUpgrade(request, socket, head) {
			const address = request.socket.remoteAddress ?? '?';
			if (clients.size >= settings.maxConnections) {
				refuse(socket, '503 Service Unavailable', address);
				return;
			}
			if (addresses.count(address) >= settings.maxConnectionsPerAddress) {
				refuse(socket, '429 Too Many Requests', address);
				return;
			}
			wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
		},
		/** Counts for status lines, tests and the load benchmark. */
		stats() {
			return {
				clients: clients.size,
				topics: topics.size,
				queuedBytes: totalQueuedBytes,
				peakQueuedBytes,
				...counters
			};
		},
		close() {
			clearInterval(pingTimer);
			for (const client of clients) client.socket.terminate();
			wss.close();
		}
	};
}
