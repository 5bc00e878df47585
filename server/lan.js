// What to tell a volunteer to open: the URLs at which this machine's server
// can be reached from other devices on the same network.
import { networkInterfaces } from 'node:os';

/**
 * @param {string} host the address the server listens on
 * @param {number} port
 * @param {string} [protocol]
 * @returns {{ local: string, lan: string[] }}
 */
export function listUrls(host, port, protocol = 'http') {
	const lan = lanAddresses(host);
	const local = `${protocol}://localhost:${port}/`;
	return {
		local,
		lan: lan.map((ip) => `${protocol}://${ip.includes(':') ? `[${ip}]` : ip}:${port}/`)
	};
}

/**
 * The addresses other devices can reach this server at.
 * @param {string} host the address the server listens on
 * @returns {string[]}
 */
export function lanAddresses(host) {
	if (host !== '0.0.0.0' && host !== '::') return host === '127.0.0.1' ? [] : [host];
	const found = [];
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (!address.internal && address.family === 'IPv4') found.push(address.address);
		}
	}
	return found;
}
