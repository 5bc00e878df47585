// Which address an invite link points to. A link made on a page opened at
// localhost would send a phone to itself; the server `npm start` runs knows
// its network addresses and says them at /network-origins.json, so the
// invite can use one of those instead (and the person can pick another).
import { isLoopbackHost, readNetworkOrigins } from '$lib/domain/addresses';

/** Where the app server says its network addresses (see server/app-server.js). */
const NETWORK_ORIGINS_PATH = '/network-origins.json';
const ASK_FOR_MS = 5_000;

export type InviteAddressState =
	/** The page's own address reaches this device from others: use it. */
	| { kind: 'page' }
	/** Still asking the server. */
	| { kind: 'asking' }
	/** At localhost, with network addresses to choose from. */
	| { kind: 'network'; origins: string[] }
	/** At localhost, and the server knows no other address (or is not ours). */
	| { kind: 'local-only' };

export class InviteAddress {
	readonly pageOrigin: string;
	state = $state<InviteAddressState>({ kind: 'page' });
	/** The origin the invite link uses now. */
	chosen = $state('');

	constructor(
		page: Pick<Location, 'origin' | 'hostname' | 'protocol' | 'port'>,
		fetcher: typeof fetch = fetch
	) {
		this.pageOrigin = page.origin;
		this.chosen = page.origin;
		if (isLoopbackHost(page.hostname)) {
			this.state = { kind: 'asking' };
			void this.#ask(fetcher, page);
		}
	}

	async #ask(fetcher: typeof fetch, page: { protocol: string; port: string }) {
		let origins: string[] = [];
		try {
			const response = await fetcher(NETWORK_ORIGINS_PATH, {
				cache: 'no-store',
				signal: AbortSignal.timeout(ASK_FOR_MS)
			});
			// A static host answers with the app's HTML instead: no addresses.
			if (response.ok && response.headers.get('content-type')?.includes('application/json'))
				origins = readNetworkOrigins(await response.json(), page);
		} catch {
			// Offline, timed out, not JSON: nothing to offer.
		}
		if (origins.length === 0) {
			this.state = { kind: 'local-only' };
			return;
		}
		this.state = { kind: 'network', origins };
		this.chosen = origins[0]!;
	}

	/** Use `origin` (one of the offered ones, or the page's own) for the link. */
	choose(origin: string) {
		const offered = this.state.kind === 'network' ? this.state.origins : [];
		if (origin === this.pageOrigin || offered.includes(origin)) this.chosen = origin;
	}
}
