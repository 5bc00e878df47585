#!/usr/bin/env node
// `npm start`: build the app if there is no build yet, then serve it and the
// signaling server on all interfaces, and print where to open it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderUnicodeCompact } from 'uqr';
import { createAppServer, SIGNALING_PATH } from './app-server.js';
import { lanAddresses, listUrls } from './lan.js';
import { loadOrCreateCertificate } from './tls.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');

const { values } = parseArgs({
	options: {
		port: { type: 'string' },
		host: { type: 'string' },
		rebuild: { type: 'boolean', default: false },
		https: { type: 'boolean', default: false },
		'no-build-check': { type: 'boolean', default: false },
		quiet: { type: 'boolean', default: false }
	}
});

const port = Number(values.port ?? process.env.PORT ?? 8080);
const host = values.host ?? process.env.HOST ?? '0.0.0.0';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(
		`Barnraise: PORT must be a number from 0 to 65535, not "${values.port ?? process.env.PORT}".`
	);
	process.exit(2);
}

if (values.rebuild || (!values['no-build-check'] && !existsSync(join(buildDir, 'index.html')))) {
	console.log('Barnraise: building the app (first start only)…');
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('Barnraise: the build failed; see the messages above.');
		process.exit(1);
	}
}

/** @type {{ key: string, cert: string } | undefined} */
let tls;
if (values.https) {
	const certificate = await loadOrCreateCertificate(join(root, '.barnraise-tls'), [
		'127.0.0.1',
		...lanAddresses(host)
	]);
	tls = certificate;
	console.log(
		certificate.created
			? 'Barnraise: made a new self-signed certificate (kept in .barnraise-tls/).'
			: 'Barnraise: using the self-signed certificate in .barnraise-tls/.'
	);
	console.log(`  Its SHA-256 fingerprint: ${certificate.fingerprint}`);
	console.log(
		'  Phones will warn that the certificate is not trusted: check the fingerprint, then accept it.'
	);
}

/** The origins other devices open the app at, once the port is known. */
let networkOrigins = /** @type {string[]} */ ([]);
const { server, close } = createAppServer({ buildDir, tls, networkOrigins: () => networkOrigins });
server.on('error', (error) => {
	console.error(`Barnraise: cannot listen on ${host}:${port}: ${error.message}`);
	process.exit(1);
});
server.listen(port, host, () => {
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	const urls = listUrls(host, actualPort, tls ? 'https' : 'http');
	networkOrigins = urls.lan.map((url) => new URL(url).origin);
	console.log(`Barnraise is running (signaling at ${SIGNALING_PATH} on the same port).`);
	console.log(`  On this machine:   ${urls.local}`);
	for (const url of urls.lan) console.log(`  On the network:    ${url}`);
	if (urls.lan.length === 0)
		console.log('  (no network address found: other devices cannot reach this one)');
	const first = urls.lan[0];
	if (first && !values.quiet) {
		console.log(`\nScan to open ${first} on a phone on the same Wi-Fi:\n`);
		console.log(renderUnicodeCompact(first));
	}
	console.log('Press Ctrl+C to stop.');
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => {
		close().then(() => process.exit(0));
	});
}
