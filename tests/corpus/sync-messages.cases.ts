// Bad Yjs sync messages from a linked device, one a line: empty, unknown
// kinds, lengths that lie, state vectors and updates that are junk, cut
// short or changed. y-webrtc still reads its own sync messages on mesh
// links (for a throwaway doc), so mesh-messages.cases.ts sends each in its
// framing: each must be refused before y-webrtc reads it, or accepted.
import * as encoding from 'lib0/encoding';

export interface SyncFixture {
	/** A real update of a small space (a fixed client id, so the bytes are the same each run). */
	update: Uint8Array;
	/** An edit made after `update`, alone: it needs `update` to mean anything. */
	later: Uint8Array;
}

type Make = (fixture: SyncFixture) => Uint8Array;

/** A sync message: its kind (0 step 1, 1 step 2, 2 update), then a length-prefixed payload. */
function message(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const text = (value: string) => new TextEncoder().encode(value);

function flipped(update: Uint8Array, at: number): Uint8Array {
	const copy = update.slice();
	copy[at] = (copy[at] as number) ^ 0xff;
	return copy;
}

export const syncMessageCases: [label: string, make: Make, expected: 'unreadable' | 'waits'][] = [
	['an empty message', () => new Uint8Array(0), 'unreadable'],
	['an unknown kind (3)', () => message(3, new Uint8Array(1)), 'unreadable'],
	['an unknown kind (255)', () => message(255, new Uint8Array(1)), 'unreadable'],
	['a kind number that never ends', () => new Uint8Array(12).fill(0x80), 'unreadable'],
	['a kind and no payload', () => new Uint8Array([UPDATE]), 'unreadable'],
	['step 2 and no payload', () => new Uint8Array([STEP2]), 'unreadable'],
	[
		'a payload length of 4 GiB',
		() => new Uint8Array([UPDATE, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]),
		'unreadable'
	],
	['a payload length past the end', () => new Uint8Array([UPDATE, 100, 1, 2, 3]), 'unreadable'],
	['step 1 with an empty state vector', () => message(STEP1, new Uint8Array(0)), 'unreadable'],
	['step 1 with a state vector of text', () => message(STEP1, text('hello')), 'unreadable'],
	[
		'step 1 with a state vector claiming a million clients',
		() => message(STEP1, new Uint8Array([0xc0, 0x84, 0x3d])),
		'unreadable'
	],
	['step 2 with an empty update', () => message(STEP2, new Uint8Array(0)), 'unreadable'],
	['an update that is empty', () => message(UPDATE, new Uint8Array(0)), 'unreadable'],
	['an update of text', () => message(UPDATE, text('{"posts":{}}')), 'unreadable'],
	['an update of 0xff bytes', () => message(UPDATE, new Uint8Array(64).fill(0xff)), 'unreadable'],
	[
		'an update claiming a million structs',
		() => message(UPDATE, new Uint8Array([1, 0xc0, 0x84, 0x3d, 1, 0])),
		'unreadable'
	],
	...[0.1, 0.25, 0.5, 0.75, 0.9].map((share): [string, Make, 'unreadable'] => [
		`a real update cut to ${share * 100}%`,
		(f) => message(UPDATE, f.update.slice(0, Math.floor(f.update.length * share))),
		'unreadable'
	]),
	[
		'a real update missing its last byte',
		(f) => message(UPDATE, f.update.slice(0, -1)),
		'unreadable'
	],
	[
		'a real update as step 2 cut in half',
		(f) => message(STEP2, f.update.slice(0, f.update.length >> 1)),
		'unreadable'
	],
	...[0, 1, 3, 5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400].map(
		(at): [string, Make, 'unreadable'] => [
			`a real update with byte ${at} flipped`,
			(f) => message(UPDATE, flipped(f.update, at)),
			'unreadable'
		]
	),
	[
		'a real update with its last byte flipped',
		(f) => message(UPDATE, flipped(f.update, f.update.length - 1)),
		'unreadable'
	],
	[
		'a real update with its client id flipped',
		(f) => message(UPDATE, flipped(f.update, 2)),
		'unreadable'
	],
	// Readable, but built on changes this device has not seen: Yjs keeps it
	// aside until they come (as for any update that arrives early), showing nothing.
	['an edit to a post this device has not seen', (f) => message(UPDATE, f.later), 'waits']
];
