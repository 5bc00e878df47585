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
	const local = `${protocol}://localhost:${port}/`;
	if (host !== '0.0.0.0' && host !== '::') {
		const shown = host.includes(':') ? `[${host}]` : host;
		return { local, lan: host === '127.0.0.1' ? [] : [`${protocol}://${shown}:${port}/`] };
	}
	const lan = [];
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.internal || address.family !== 'IPv4') continue;
			lan.push(`${protocol}://${address.address}:${port}/`);
		}
	}
	return { local, lan };
}
