// Bad pairing codes, one a line: typed wrong, cut off, for another space,
// sealed under another key, or sealed right with junk inside. Each names the
// PairingCodeError problem decodePairingCode must throw; a code whose extras
// are too long opens without them.
import type { PairingCodeProblem, PairingSignal } from '../../src/lib/sync/pairing-code';

export interface PairingFixture {
	spaceId: string;
	/** A real offer code for the space. */
	good: string;
	/** A code for the space sealed right, holding `json` (deflated) as its contents. */
	sealJson(json: string): Promise<string>;
	/** A code for the space sealed right, holding `raw` as its contents, not deflated. */
	sealRaw(raw: Uint8Array): string;
	/** A real offer code for the space, sealed under another space's key. */
	otherKey: string;
	/** A real offer code of another space. */
	otherSpace: string;
}

type Make = (fixture: PairingFixture) => string | Promise<string>;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The code with one character of its sealed part changed in its highest bit,
 * which every character's bytes use (the last character's lowest bits may be
 * padding that decoding ignores, so swapping A for B there can change nothing).
 */
function changeAt(code: string, share: number): string {
	const start = code.lastIndexOf('.') + 1;
	const at = start + Math.floor(share * (code.length - start - 1));
	const swapped = BASE64URL[BASE64URL.indexOf(code[at]!) ^ 32]!;
	return code.slice(0, at) + swapped + code.slice(at + 1);
}

/**
 * The code cut short (or lengthened with `A`s) by at least one character, to
 * the first length whose sealed part has `remainder` characters past a
 * multiple of four. Base64 cannot have 1; 0, 2 and 3 decode (to other bytes).
 * A code's own length varies with its nonce and contents, so cases name the
 * length they end at, not how many characters they drop.
 */
function resized(code: string, step: -1 | 1, remainder: 0 | 1 | 2 | 3): string {
	const start = code.lastIndexOf('.') + 1;
	let out = code;
	do out = step < 0 ? out.slice(0, -1) : `${out}A`;
	while ((out.length - start) % 4 !== remainder);
	return out;
}

const SDP = 'v=0\r\n';

export const pairingCases: [
	label: string,
	make: Make,
	expected: PairingCodeProblem | { opens: PairingSignal }
][] = [
	['nothing', () => '', 'not-a-code'],
	['plain words', () => 'hello there', 'not-a-code'],
	['an invite link', () => 'https://x.test/join#k=abc', 'not-a-code'],
	['the prefix only', () => 'BRPAIR1', 'not-a-code'],
	['the prefix and a dot', () => 'BRPAIR1.', 'not-a-code'],
	['no sealed part', (f) => `BRPAIR1.${f.spaceId}`, 'not-a-code'],
	['an empty sealed part', (f) => `BRPAIR1.${f.spaceId}.`, 'not-a-code'],
	['an older prefix', (f) => f.good.replace('BRPAIR1', 'BRPAIR0'), 'not-a-code'],
	['a newer prefix', (f) => f.good.replace('BRPAIR1', 'BRPAIR2'), 'not-a-code'],
	['the prefix in lower case', (f) => f.good.replace('BRPAIR1', 'brpair1'), 'not-a-code'],
	['a fourth part', (f) => `${f.good}.extra`, 'not-a-code'],
	['a javascript: URL', () => 'javascript:alert(1)', 'not-a-code'],
	['an HTML tag', () => '<img src=x onerror=alert(1)>', 'not-a-code'],
	['a megabyte of dots', () => '.'.repeat(1_000_000), 'not-a-code'],
	['another space', (f) => f.otherSpace, 'other-space'],
	['no space id', (f) => f.good.replace(`.${f.spaceId}.`, '..'), 'not-a-code'],
	[
		'the space id in upper case',
		(f) => f.good.replace(f.spaceId, f.spaceId.toUpperCase()),
		'other-space'
	],
	[
		'the space id with a right-to-left override',
		(f) => f.good.replace(f.spaceId, `\u202e${f.spaceId}`),
		'other-space'
	],
	['a sealed part of one character', (f) => `BRPAIR1.${f.spaceId}.A`, 'cut-short'],
	['a sealed part of 39 bytes', (f) => `BRPAIR1.${f.spaceId}.${'A'.repeat(52)}`, 'cut-short'],
	['a sealed part outside base64url', (f) => `BRPAIR1.${f.spaceId}.${'!'.repeat(80)}`, 'cut-short'],
	['a sealed part of emoji', (f) => `BRPAIR1.${f.spaceId}.${'🔑'.repeat(40)}`, 'cut-short'],
	[
		'cut to 64 characters of its sealed part',
		(f) => f.good.slice(0, f.good.lastIndexOf('.') + 65),
		'not-from-member'
	],
	[
		'cut to 40 characters of its sealed part',
		(f) => f.good.slice(0, f.good.lastIndexOf('.') + 41),
		'cut-short'
	],
	[
		'cut by a few characters, to a length base64 can have',
		(f) => resized(f.good, -1, 0),
		'not-from-member'
	],
	[
		'cut by a few characters, to a length base64 cannot have',
		(f) => resized(f.good, -1, 1),
		'cut-short'
	],
	['the last four characters missing', (f) => f.good.slice(0, -4), 'not-from-member'],
	['characters added, to a length base64 cannot have', (f) => resized(f.good, 1, 1), 'cut-short'],
	[
		'characters added, to a length base64 can have',
		(f) => resized(f.good, 1, 2),
		'not-from-member'
	],
	...[0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((share): [string, Make, PairingCodeProblem] => [
		`one character ${Math.round(share * 100)}% into the sealed part changed`,
		(f) => changeAt(f.good, share),
		'not-from-member'
	]),
	["sealed under another space's key", (f) => f.otherKey, 'not-from-member'],
	['forty bytes of zeros', (f) => `BRPAIR1.${f.spaceId}.${'A'.repeat(54)}`, 'not-from-member'],
	// Sealed right (a member's device, or a buggy one), junk inside.
	['contents not deflated', (f) => f.sealRaw(new TextEncoder().encode('{"t":"offer"}')), 'damaged'],
	['empty contents', (f) => f.sealRaw(new Uint8Array(0)), 'damaged'],
	['contents not JSON', (f) => f.sealJson('offer: v=0'), 'damaged'],
	['contents JSON null', (f) => f.sealJson('null'), 'damaged'],
	['contents a JSON list', (f) => f.sealJson('["offer","v=0"]'), 'damaged'],
	['contents a JSON number', (f) => f.sealJson('7'), 'damaged'],
	['no type', (f) => f.sealJson(JSON.stringify({ s: SDP })), 'damaged'],
	[
		'a type that is neither offer nor answer',
		(f) => f.sealJson(JSON.stringify({ t: 'rollback', s: SDP })),
		'damaged'
	],
	['the type in upper case', (f) => f.sealJson(JSON.stringify({ t: 'OFFER', s: SDP })), 'damaged'],
	['no SDP', (f) => f.sealJson(JSON.stringify({ t: 'offer' })), 'damaged'],
	['an SDP that is a number', (f) => f.sealJson(JSON.stringify({ t: 'offer', s: 5 })), 'damaged'],
	[
		'an SDP that is an object',
		(f) => f.sealJson(JSON.stringify({ t: 'answer', s: { sdp: SDP } })),
		'damaged'
	],
	['a __proto__ type', (f) => f.sealJson('{"__proto__":{"t":"offer"},"s":"v=0"}'), 'damaged'],
	[
		'JSON nested 100,000 deep',
		(f) => f.sealJson('['.repeat(100_000) + ']'.repeat(100_000)),
		'damaged'
	],
	[
		'contents past 64 KiB when inflated',
		(f) => f.sealJson(JSON.stringify({ t: 'offer', s: 'x'.repeat(70_000) })),
		'damaged'
	],
	// Opens, without the extras that are not what they claim.
	[
		'a member id of 65 characters',
		(f) => f.sealJson(JSON.stringify({ t: 'offer', s: SDP, m: 'm'.repeat(65) })),
		{ opens: { type: 'offer', sdp: SDP } }
	],
	[
		'a member id that is a number',
		(f) => f.sealJson(JSON.stringify({ t: 'offer', s: SDP, m: 42 })),
		{ opens: { type: 'offer', sdp: SDP } }
	],
	[
		'an offer tag of 65 characters',
		(f) => f.sealJson(JSON.stringify({ t: 'answer', s: SDP, r: 'r'.repeat(65) })),
		{ opens: { type: 'answer', sdp: SDP } }
	],
	[
		'an offer tag that is a list',
		(f) => f.sealJson(JSON.stringify({ t: 'answer', s: SDP, r: ['x'] })),
		{ opens: { type: 'answer', sdp: SDP } }
	],
	[
		'a member id that is an HTML tag, kept as text',
		(f) => f.sealJson(JSON.stringify({ t: 'offer', s: SDP, m: '<b onmouseover=alert(1)>' })),
		{ opens: { type: 'offer', sdp: SDP, member: '<b onmouseover=alert(1)>' } }
	]
];
