// The one Node process a volunteer runs: the built app as static files and
// the signaling WebSocket at /signal, on the same origin and port, so a
// phone that loads the app also finds the signaling server with no setup.
//
// It serves files and relays signaling frames; it must never store or see
// space data.
import { createServer } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import sirv from 'sirv';
import { createSignalingServer } from './signaling.js';

export const SIGNALING_PATH = '/signal';
/**
 * Where the page asks for the addresses other devices reach this server at,
 * so an invite made on the laptop at localhost points phones to its LAN
 * address instead of to themselves.
 */
export const NETWORK_ORIGINS_PATH = '/network-origins.json';

/** @param {string | undefined} host a Host header: true for localhost, 127.x and [::1] */
function isLoopbackHostHeader(host) {
	const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
	return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * @param {object} options
 * @param {string} options.buildDir folder written by `vite build`
 * @param {(line: string) => void} [options.log]
 * @param {import('./signaling.js').SignalingOptions} [options.signaling]
 * @param {{ key: string, cert: string }} [options.tls] serve HTTPS (and wss:) with this certificate
 * @param {boolean} [options.withSignaling] false serves the app alone (tests of serverless pairing)
 * @param {() => string[]} [options.networkOrigins] the origins (http://192.168.1.20:8080) other
 *   devices can open the app at; served at NETWORK_ORIGINS_PATH
 */
export function createAppServer({
	buildDir,
	log = (line) => console.log(line),
	signaling = {},
	tls,
	withSignaling = true,
	networkOrigins = () => []
}) {
	const serveStatic = sirv(buildDir, {
		single: true,
		etag: true,
		gzip: true,
		brotli: true,
		setHeaders(res, pathname) {
			// Hashed bundles never change; the HTML shell must be revalidated so
			// a new version is picked up.
			res.setHeader(
				'Cache-Control',
				pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
			res.setHeader('Referrer-Policy', 'no-referrer');
			res.setHeader('X-Content-Type-Options', 'nosniff');
		}
	});
	const signalingServer = createSignalingServer({ log, ...signaling });

	/** @type {import('node:http').RequestListener} */
	const handle = (req, res) => {
		if (req.url === SIGNALING_PATH) {
			res.writeHead(426, { 'Content-Type': 'text/plain' });
			res.end('This is the Barnraise signaling WebSocket; open the app at /.\n');
			return;
		}
		// Only to a page opened on this machine (a DNS-rebinding page from elsewhere
		// has another Host): it is the one that needs another address for invites.
		if (req.url === NETWORK_ORIGINS_PATH && isLoopbackHostHeader(req.headers.host)) {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
			res.end(JSON.stringify({ app: 'barnraise', origins: networkOrigins() }));
			return;
		}
		serveStatic(req, res);
	};
	const server = tls
		? createSecureServer({ key: tls.key, cert: tls.cert }, handle)
		: createServer(handle);
	server.on('upgrade', (request, socket, head) => {
		const path = (request.url ?? '').split('?')[0];
		if (path !== SIGNALING_PATH || !withSignaling) {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
			return;
		}
		signalingServer.handleUpgrade(request, socket, head);
	});
	/** Stop serving: drop every signaling socket and HTTP connection, then close. */
	function close() {
		signalingServer.close();
		server.closeAllConnections();
		return new Promise((resolve) => server.close(() => resolve(undefined)));
	}
	return { server, signaling: signalingServer, close };
}
