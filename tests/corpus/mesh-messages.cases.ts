// Bad y-webrtc messages down a mesh link, one a line: every paired-link sync
// case (sync-messages.cases.ts) in y-webrtc's framing, and y-webrtc's own
// message types empty, unknown, cut short or out of place. Each is refused
// before y-webrtc reads it — an update that is not whole as `broken-update`,
// anything y-webrtc's reader would throw on as `unreadable-message` — or
// accepted, for contrast.
import * as encoding from 'lib0/encoding';
import type { MeshRefusal } from '../../src/lib/sync/mesh-message';
import { syncMessageCases, type SyncFixture } from './sync-messages.cases';

type Make = (fixture: SyncFixture) => Uint8Array;
type Expected = MeshRefusal | 'accepted';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const MESSAGE_BC_PEER_ID = 4;

function framed(type: number, body: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	encoding.writeUint8Array(encoder, body);
	return encoding.toUint8Array(encoder);
}

/**
 * The paired-link cases that are not even a readable sync message: the rest
 * of that file's unreadable ones carry a payload that is not a whole update.
 */
const NOT_A_SYNC_MESSAGE = new Set([
	'an empty message',
	'an unknown kind (3)',
	'an unknown kind (255)',
	'a kind number that never ends',
	'a kind and no payload',
	'step 2 and no payload',
	'a payload length of 4 GiB',
	'a payload length past the end',
	'step 1 with an empty state vector',
	'step 1 with a state vector of text',
	'step 1 with a state vector claiming a million clients'
]);

function meshExpected(label: string, paired: 'unreadable' | 'waits'): Expected {
	if (paired === 'waits') return 'accepted';
	return NOT_A_SYNC_MESSAGE.has(label) ? 'unreadable-message' : 'broken-update';
}

export const meshMessageCases: [label: string, make: Make, expected: Expected][] = [
	...syncMessageCases.map(([label, make, paired]): [string, Make, Expected] => [
		`sync: ${label}`,
		(fixture) => framed(MESSAGE_SYNC, make(fixture)),
		meshExpected(label, paired)
	]),
	['an empty message', () => new Uint8Array(0), 'unreadable-message'],
	['a message type that never ends', () => new Uint8Array(10).fill(0x80), 'unreadable-message'],
	['message type 2 (unused)', () => framed(2, new Uint8Array([1, 2])), 'unreadable-message'],
	['message type 255', () => framed(255, new Uint8Array(0)), 'unreadable-message'],
	[
		'a tab peer id (BroadcastChannel only) over WebRTC',
		() => framed(MESSAGE_BC_PEER_ID, new Uint8Array([1, 3, 97, 98, 99])),
		'unreadable-message'
	],
	[
		'presence with no payload',
		() => framed(MESSAGE_AWARENESS, new Uint8Array(0)),
		'unreadable-message'
	],
	[
		'presence whose length runs past the end',
		() => framed(MESSAGE_AWARENESS, new Uint8Array([50, 1, 2])),
		'unreadable-message'
	],
	[
		'a sync message with no kind',
		() => framed(MESSAGE_SYNC, new Uint8Array(0)),
		'unreadable-message'
	],
	[
		'a sync message of kind 9',
		() => framed(MESSAGE_SYNC, new Uint8Array([9, 1, 0])),
		'unreadable-message'
	],
	// Good messages still pass.
	['a request for presence', () => framed(MESSAGE_QUERY_AWARENESS, new Uint8Array(0)), 'accepted'],
	[
		'a whole update',
		(fixture) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			encoding.writeVarUint(encoder, 2);
			encoding.writeVarUint8Array(encoder, fixture.update);
			return encoding.toUint8Array(encoder);
		},
		'accepted'
	]
];
