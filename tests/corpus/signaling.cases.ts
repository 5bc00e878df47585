// Bad signaling frames, one a line, for both ends of the signaling path:
// what our device does with a frame published to its room (decrypted,
// then checked; anything else dropped), and what the signaling server does
// with a frame from any connection (refused with the problem it logs, the
// room untouched).

/** Decrypted payloads that are not a signaling message: each is dropped. */
export const signalingValueCases: [label: string, value: unknown][] = [
	['null', null],
	['a number', 42],
	['a string', 'announce'],
	['a list', [{ type: 'announce', from: 'a' }]],
	['an empty object', {}],
	['an announce from no one', { type: 'announce' }],
	['an announce from an empty id', { type: 'announce', from: '' }],
	['an announce from a number', { type: 'announce', from: 7 }],
	['an announce from an object', { type: 'announce', from: { toString: 'a' } }],
	['an announce from a 129-character id', { type: 'announce', from: 'x'.repeat(129) }],
	['an announce from a 20 MB id', { type: 'announce', from: 'x'.repeat(20_000_000) }],
	['an announce to a number', { type: 'announce', from: 'a', to: 5 }],
	['an announce to a list', { type: 'announce', from: 'a', to: ['b'] }],
	['a signal with no signal', { type: 'signal', from: 'a' }],
	['a signal that is text', { type: 'signal', from: 'a', signal: 'v=0' }],
	['a signal that is a list', { type: 'signal', from: 'a', signal: [] }],
	['a signal that is null', { type: 'signal', from: 'a', signal: null }],
	['a signal whose type is a number', { type: 'signal', from: 'a', signal: { type: 5 } }],
	['a signal whose type is an object', { type: 'signal', from: 'a', signal: { type: {} } }],
	['an unknown message type', { type: 'launch', from: 'a' }],
	['the type in upper case', { type: 'ANNOUNCE', from: 'a' }],
	['a __proto__ type', JSON.parse('{"__proto__":{"type":"announce"},"from":"a"}')],
	['a from of an HTML tag and a bad type', { type: 'x', from: '<img src=x onerror=alert(1)>' }]
];

/** How an envelope is made: y-webrtc's AES-GCM frame, sealed with `key` unless it says otherwise. */
export interface EnvelopeKit {
	/** A frame as y-webrtc seals one: varString algorithm, varUint8Array iv, varUint8Array ciphertext. */
	envelope(parts: { algorithm?: string; iv?: Uint8Array; cipher?: Uint8Array }): string;
	/** `value` written with lib0's writeAny and sealed under the room key (or `otherKey`). */
	seal(value: unknown, options?: { otherKey?: boolean; iv?: Uint8Array }): Promise<string>;
	/** Plain bytes sealed under the room key (not lib0's encoding). */
	sealBytes(bytes: Uint8Array): Promise<string>;
}

type Make = (kit: EnvelopeKit) => string | Promise<string>;

/** `refused`: decryption fails. `dropped`: decrypts, then is not a signaling message. */
export const signalingEnvelopeCases: [
	label: string,
	make: Make,
	expected: 'refused' | 'dropped'
][] = [
	['an empty frame', () => '', 'refused'],
	['four bytes of base64', () => 'AAAA', 'refused'],
	['not base64', () => 'not base64!', 'refused'],
	['plain JSON', () => '{"type":"announce","from":"a"}', 'refused'],
	['another algorithm', (k) => k.envelope({ algorithm: 'ROT13' }), 'refused'],
	['the algorithm in lower case', (k) => k.envelope({ algorithm: 'aes-gcm' }), 'refused'],
	['no iv', (k) => k.envelope({ iv: new Uint8Array(0) }), 'refused'],
	['an iv of 11 bytes', (k) => k.envelope({ iv: new Uint8Array(11) }), 'refused'],
	['an iv of 64 KiB', (k) => k.envelope({ iv: new Uint8Array(65_536) }), 'refused'],
	['no ciphertext', (k) => k.envelope({ cipher: new Uint8Array(0) }), 'refused'],
	[
		'a ciphertext shorter than its tag',
		(k) => k.envelope({ cipher: new Uint8Array(15) }),
		'refused'
	],
	['a ciphertext of zeros', (k) => k.envelope({ cipher: new Uint8Array(64) }), 'refused'],
	[
		'sealed under another room key',
		(k) => k.seal({ type: 'announce', from: 'a' }, { otherKey: true }),
		'refused'
	],
	[
		'a real frame with its last character changed',
		async (k) => {
			const frame = await k.seal({ type: 'announce', from: 'a' });
			return frame.slice(0, -2) + (frame.at(-2) === 'A' ? 'B' : 'A') + frame.at(-1);
		},
		'refused'
	],
	[
		'a real frame cut short',
		async (k) => (await k.seal({ type: 'announce', from: 'a' })).slice(0, 40),
		'refused'
	],
	[
		'sealed bytes that are not lib0 values',
		(k) => k.sealBytes(new Uint8Array([255, 255])),
		'refused'
	],
	['sealed empty bytes', (k) => k.sealBytes(new Uint8Array(0)), 'refused'],
	['sealed null', (k) => k.seal(null), 'dropped'],
	['sealed text', (k) => k.seal('announce'), 'dropped'],
	['sealed announce from no one', (k) => k.seal({ type: 'announce' }), 'dropped'],
	[
		'sealed signal that is a list',
		(k) => k.seal({ type: 'signal', from: 'a', signal: [] }),
		'dropped'
	],
	[
		'sealed announce from a long id',
		(k) => k.seal({ type: 'announce', from: 'p'.repeat(200) }),
		'dropped'
	]
];

/** Frames a connection sends the signaling server, and the problem it logs. */
export const signalingServerCases: [label: string, frame: string | Uint8Array, problem: string][] =
	[
		['a binary frame', new Uint8Array([1, 2, 3]), 'binary frame ignored'],
		['an empty frame', '', 'frame is not JSON'],
		['plain text', 'hello', 'frame is not JSON'],
		['JSON cut short', '{"type":"publish","topic":"room"', 'frame is not JSON'],
		[
			'JSON nested 10,000 deep',
			'['.repeat(10_000) + ']'.repeat(10_000),
			'frame is not a JSON object'
		],
		['JSON null', 'null', 'frame is not a JSON object'],
		['a JSON number', '42', 'frame is not a JSON object'],
		['a JSON string', '"subscribe"', 'frame is not a JSON object'],
		['a JSON list', '[{"type":"ping"}]', 'frame is not a JSON object'],
		['no type', '{"topics":["room"]}', 'unknown frame type "undefined"'],
		['an unknown type', '{"type":"launch"}', 'unknown frame type "launch"'],
		[
			'a type of HTML',
			'{"type":"<script>alert(1)</script>"}',
			'unknown frame type "<script>alert(1)</scr'
		],
		['a __proto__ type', '{"__proto__":{"type":"ping"}}', 'unknown frame type "undefined"'],
		['subscribe without topics', '{"type":"subscribe"}', 'subscribe without a topics array'],
		[
			'subscribe to a string',
			'{"type":"subscribe","topics":"room"}',
			'subscribe without a topics array'
		],
		[
			'subscribe to an empty name',
			'{"type":"subscribe","topics":[""]}',
			'subscribe with an invalid topic name'
		],
		[
			'subscribe to a number',
			'{"type":"subscribe","topics":[7]}',
			'subscribe with an invalid topic name'
		],
		[
			'subscribe to a 257-character name',
			JSON.stringify({ type: 'subscribe', topics: ['t'.repeat(257)] }),
			'subscribe with an invalid topic name'
		],
		[
			'unsubscribe without topics',
			'{"type":"unsubscribe","topics":null}',
			'unsubscribe without a topics array'
		],
		['publish without a topic', '{"type":"publish","data":"x"}', 'publish without a topic'],
		[
			'publish to a numbered topic',
			'{"type":"publish","topic":7,"data":"x"}',
			'publish without a topic'
		],
		[
			'publish to a room it has not joined',
			'{"type":"publish","topic":"corpus-room","data":"x"}',
			'publish to a topic it has not subscribed to'
		]
	];
