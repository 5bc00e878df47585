// `npm run relay -- --invites-file <file> | --invites-stdin --data <folder> [--signal <url>]`
// A headless peer that joins spaces from their invites and keeps them on
// disk (relay-store.ts), so their data stays available while phones sleep.
// Any number can run, one per data folder; the app works the same without one.
import wrtc from '@roamhq/wrtc';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { isSignalingUrl } from '../src/lib/domain/addresses';
import { parseInvite, type Invite, type InviteProblem } from '../src/lib/sync/invite';
import type { WrtcImplementation } from '../src/lib/sync/chunked-wrtc';
import { readInviteLinks } from './invites';
import { importLegacyLogs } from './legacy-log';
import { RelaySpace } from './relay-space';
import { RelayStore, StoreBusyError } from './relay-store';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

// lib0's WebSocket client uses the global one, which Node 20 lacks. It parses
// each frame with an unguarded JSON.parse in `onmessage`: a frame that is not
// JSON (only a hostile signaling server sends one) would throw out of the
// socket's event handler and end the process, so the handler is wrapped.
const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
class GuardedWebSocket extends WebSocket {
	constructor(...args: ConstructorParameters<typeof WebSocket>) {
		super(...args);
		Object.defineProperty(this, 'onmessage', {
			get: () => onmessage?.get?.call(this),
			set: (handler: unknown) => {
				const guarded =
					typeof handler === 'function'
						? (event: unknown) => {
								try {
									handler.call(this, event);
								} catch (error) {
									log(`signaling: ignored an unreadable frame (${String(error)})`);
								}
							}
						: handler;
				onmessage?.set?.call(this, guarded);
			}
		});
	}
}
(globalThis as { WebSocket?: unknown }).WebSocket = GuardedWebSocket;

// The last-resort net. Known hostile input is handled where it arrives
// (src/lib/sync/signaling-guard.ts); if a frame still finds a rejection
// nobody handles, one space's signaling loses a frame, not every space its relay.
process.on('unhandledRejection', (reason) => {
	log(`unhandled rejection (kept running): ${String(reason)}`);
});

function fail(message: string): never {
	console.error(`Barnraise relay: ${message}`);
	process.exit(2);
}

const USAGE = 'npm run relay -- --invites-file <file, one link per line> --data <folder>';

/** What was wrong with the command line, in a sentence; null when it is not parseArgs' complaint. */
function argumentProblem(error: unknown): string | null {
	const code = (error as { code?: unknown })?.code;
	const message = error instanceof Error ? error.message : '';
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
		const flag = /'([^']+)'/.exec(message)?.[1] ?? 'given';
		return `unknown option ${flag}`;
	}
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
		const flag = /'(-[^ ']+)/.exec(message)?.[1];
		return flag && /argument missing/.test(message) ? `${flag} needs a value` : message;
	}
	return null;
}

// parseArgs throws on a flag it does not know: say which, and how to start the relay.
let parsed;
try {
	parsed = parseArgs({
		allowPositionals: true,
		options: {
			data: { type: 'string', default: 'relay-data' },
			signal: { type: 'string', multiple: true, default: [] },
			'invites-file': { type: 'string' },
			'invites-stdin': { type: 'boolean', default: false }
		}
	});
} catch (error) {
	const problem = argumentProblem(error);
	if (problem === null) throw error;
	fail(`${problem}\nusage: ${USAGE}`);
}
const { values, positionals } = parsed;
let links: string[] = [];
try {
	links = await readInviteLinks(
		{
			positionals,
			invitesFile: values['invites-file'],
			invitesStdin: values['invites-stdin']
		},
		process.stdin,
		(line) => console.error(`Barnraise relay: warning: ${line}`)
	);
} catch (error) {
	fail(error instanceof Error ? error.message : String(error));
}
if (links.length === 0) fail(`give at least one invite link: ${USAGE}`);

/** The signaling servers for an invite: its app origin's /signal, the invite's own, and --signal. */
function signalingFor(link: string, invite: Invite): string[] {
	const urls = [...invite.signaling, ...(values.signal ?? [])];
	try {
		const origin = new URL(link);
		if (origin.protocol === 'http:' || origin.protocol === 'https:') {
			urls.unshift(`${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}/signal`);
		}
	} catch {
		// A bare fragment: only --signal and the invite's own servers.
	}
	const valid = [...new Set(urls)].filter(isSignalingUrl);
	if (valid.length === 0)
		fail(`no signaling server for ${link.split('#')[0]}: add --signal ws://host:port/signal`);
	return valid;
}

/** The relay is run by an organizer at a terminal: it speaks English, like npm. */
const INVITE_PROBLEMS: Record<InviteProblem, string> = {
	empty: 'an invite link is empty',
	'no-key': 'not a Barnraise invite: it has no space key (copy the whole link)',
	'damaged-key': 'this invite link is damaged or cut off: its space key is not complete'
};

const invites = links.map((link) => {
	const parsed = parseInvite(link);
	if (!parsed.ok) fail(`${INVITE_PROBLEMS[parsed.problem]} (${link.split('#')[0]})`);
	return { link, invite: parsed.invite, signaling: signalingFor(link, parsed.invite) };
});

const dataDir = resolve(values.data ?? 'relay-data');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
// The store's lock is taken first: a second relay on this folder stops here,
// before it touches anything.
let store: RelayStore;
try {
	store = await RelayStore.open(join(dataDir, 'store'), log);
} catch (error) {
	if (error instanceof StoreBusyError) {
		fail(
			`another relay is already using the data folder ${dataDir}; ` +
				'stop it first, or give this one its own --data folder'
		);
	}
	fail(`cannot open the store in ${dataDir}: ${String(error)}`);
}
// Into the store's old updates, which each space then imports as signed (legacy-import.ts).
await importLegacyLogs(dataDir, store, log);
// A `member-id` file older relays left is kept but no longer read: a member
// record would need a signed change, and the relay makes none of its own.

const spaces: RelaySpace[] = [];
for (const { invite, signaling } of invites) {
	const space = await RelaySpace.open({
		invite,
		store,
		signaling,
		wrtc: wrtc as unknown as WrtcImplementation,
		log
	});
	log(`joined ${space.spaceId} through ${signaling.join(', ')}`);
	spaces.push(space);
}
log(`relay running with ${spaces.length} space(s); data in ${dataDir}`);

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	await Promise.all(spaces.map((space) => space.destroy()));
	await store.close();
	log('relay stopped');
	setTimeout(() => process.exit(0), 100);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
