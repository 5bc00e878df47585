// The self-signed certificate for `npm start -- --https`: made once, kept
// beside the project, reused until it no longer covers this machine's
// addresses or is about to expire. A group that wants the offline app shell
// and installs on phones serves over HTTPS; each phone accepts the
// certificate once, and the printed fingerprint lets people check that the
// one they accept is this laptop's.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

const VALID_DAYS = 397;
const RENEW_WITHIN_DAYS = 30;

/**
 * @typedef {object} Certificate
 * @property {string} key PEM
 * @property {string} cert PEM
 * @property {string} fingerprint SHA-256, colon-separated hex
 * @property {boolean} created whether it was made just now
 */

/** @param {string} path @param {string} text @param {number} mode */
function writeAtomically(path, text, mode) {
	const temporary = `${path}.${process.pid}.tmp`;
	writeFileSync(temporary, text, { mode });
	renameSync(temporary, path);
}

/**
 * @param {X509Certificate} certificate
 * @param {string[]} ips
 */
function isStillGood(certificate, ips) {
	const renewBy = Date.now() + RENEW_WITHIN_DAYS * 24 * 3600 * 1000;
	if (new Date(certificate.validTo).getTime() < renewBy) return false;
	return ips.every((ip) => certificate.checkIP(ip) !== undefined);
}

/**
 * @param {string} dir where cert.pem and key.pem live
 * @param {string[]} ips addresses the certificate must name (LAN and loopback)
 * @returns {Promise<Certificate>}
 */
export async function loadOrCreateCertificate(dir, ips) {
	const certPath = join(dir, 'cert.pem');
	const keyPath = join(dir, 'key.pem');
	if (existsSync(certPath) && existsSync(keyPath)) {
		const cert = readFileSync(certPath, 'utf8');
		const key = readFileSync(keyPath, 'utf8');
		const certificate = new X509Certificate(cert);
		if (isStillGood(certificate, ips)) {
			return { key, cert, fingerprint: certificate.fingerprint256, created: false };
		}
	}
	const name = hostname();
	const now = new Date();
	const pems = await generate([{ name: 'commonName', value: `Barnraise on ${name}` }], {
		keyType: 'ec',
		curve: 'P-256',
		algorithm: 'sha256',
		notBeforeDate: new Date(now.getTime() - 60_000),
		notAfterDate: new Date(now.getTime() + VALID_DAYS * 24 * 3600 * 1000),
		extensions: [
			{ name: 'basicConstraints', cA: false },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 2, value: name },
					{ type: 2, value: `${name}.local` },
					...ips.map((ip) => /** @type {const} */ ({ type: 7, ip }))
				]
			}
		]
	});
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	writeAtomically(keyPath, pems.private, 0o600);
	writeAtomically(certPath, pems.cert, 0o644);
	const certificate = new X509Certificate(pems.cert);
	return {
		key: pems.private,
		cert: pems.cert,
		fingerprint: certificate.fingerprint256,
		created: true
	};
}
