// Bad invite links, one a line: what a person might paste, scan or be sent
// (cut off, mistyped, hostile), and how parseInvite must answer. A refused
// link names its problem; a link that opens must keep only ws(s) servers
// and a short name, whatever else it carries.
import { encodeSpaceKey } from '../../src/lib/sync/keys';
import type { InviteProblem } from '../../src/lib/sync/invite';

const KEY = encodeSpaceKey(new Uint8Array(32).fill(7));
const LINK = `https://192.168.1.20:8080/join#k=${KEY}`;

/** A link that opens, with what it may keep of its name and servers. */
export interface Opens {
	name: string;
	signaling: string[];
}

export const inviteCases: [label: string, input: string, expected: InviteProblem | Opens][] = [
	['nothing', '', 'empty'],
	['only spaces', '   \t\n ', 'empty'],
	['a web address with no fragment', 'https://192.168.1.20:8080/join', 'no-key'],
	['an empty fragment', 'https://192.168.1.20:8080/join#', 'no-key'],
	['a fragment with only a name', 'https://x.test/join#n=Flood', 'no-key'],
	['the key under another letter', `https://x.test/join#K=${KEY}`, 'no-key'],
	['a bare hash', '#', 'no-key'],
	['plain words', 'please join our space', 'no-key'],
	['a javascript: URL', 'javascript:alert(1)', 'no-key'],
	['a javascript: URL with a key after a hash', `javascript:alert(1)//#k=x`, 'damaged-key'],
	['a data: URL', 'data:text/html,<script>alert(1)</script>', 'no-key'],
	['an empty key', 'https://x.test/join#k=', 'damaged-key'],
	['a key one character short', `https://x.test/join#k=${KEY.slice(0, -1)}`, 'damaged-key'],
	['a key cut in half', `https://x.test/join#k=${KEY.slice(0, 21)}`, 'damaged-key'],
	[
		'a key one byte long',
		`https://x.test/join#k=${encodeSpaceKey(new Uint8Array(1))}`,
		'damaged-key'
	],
	['a 31-byte key', `#k=${encodeSpaceKey(new Uint8Array(31))}`, 'damaged-key'],
	['a 33-byte key', `#k=${encodeSpaceKey(new Uint8Array(33))}`, 'damaged-key'],
	['a 64-byte key', `#k=${encodeSpaceKey(new Uint8Array(64))}`, 'damaged-key'],
	['a key with a character outside base64url', `#k=${KEY.slice(0, -1)}!`, 'damaged-key'],
	['a key in standard base64 with padding', `#k=${btoa('x'.repeat(32))}`, 'damaged-key'],
	['a key of accented letters', `#k=${'é'.repeat(43)}`, 'damaged-key'],
	['a key of emoji', `#k=${'🔑'.repeat(22)}`, 'damaged-key'],
	['a key with a right-to-left override', `#k=\u202e${KEY}`, 'damaged-key'],
	['a key with a zero-width space', `#k=${KEY.slice(0, 10)}\u200b${KEY.slice(10)}`, 'damaged-key'],
	['a key of 100,000 characters', `#k=${'A'.repeat(100_000)}`, 'damaged-key'],
	['a link of 2 MB of junk', `#${'&x=y'.repeat(500_000)}`, 'no-key'],
	['a key percent-encoded into junk', `#k=%FF%FE${KEY}`, 'damaged-key'],
	['a broken percent escape', `#k=%E0%A4%A`, 'damaged-key'],
	['a key that is an HTML tag', '#k=<img src=x onerror=alert(1)>', 'damaged-key'],
	// Links that open: only their bad parts are dropped.
	['a javascript: server', `${LINK}&s=javascript:alert(1)`, { name: '', signaling: [] }],
	[
		'a data: server',
		`${LINK}&s=${encodeURIComponent('data:text/html,<b>x</b>')}`,
		{ name: '', signaling: [] }
	],
	['an http server', `${LINK}&s=http://192.168.1.20:8080`, { name: '', signaling: [] }],
	['an https server', `${LINK}&s=https://192.168.1.20/signal`, { name: '', signaling: [] }],
	['a file: server', `${LINK}&s=file:///etc/passwd`, { name: '', signaling: [] }],
	['a server that is not a URL', `${LINK}&s=not a server`, { name: '', signaling: [] }],
	['an empty server', `${LINK}&s=`, { name: '', signaling: [] }],
	['a ws: with no host', `${LINK}&s=ws:`, { name: '', signaling: [] }],
	[
		'good and bad servers mixed',
		`${LINK}&s=ws://192.168.1.20:8080/signal&s=javascript:x&s=wss://relay.test/signal`,
		{ name: '', signaling: ['ws://192.168.1.20:8080/signal', 'wss://relay.test/signal'] }
	],
	[
		'a name of 10,000 characters',
		`${LINK}&n=${'N'.repeat(10_000)}`,
		{ name: 'N'.repeat(80), signaling: [] }
	],
	[
		'a name that is an HTML tag',
		`${LINK}&n=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
		{ name: '<img src=x onerror=alert(1)>', signaling: [] }
	],
	[
		'a name with a right-to-left override',
		`${LINK}&n=${encodeURIComponent('\u202eFlood')}`,
		{ name: '\u202eFlood', signaling: [] }
	],
	['a name of only spaces', `${LINK}&n=%20%20%20`, { name: '', signaling: [] }],
	['pasted inside a message', `Join us: ${LINK}&n=Flood thanks!`, { name: 'Flood', signaling: [] }]
];
