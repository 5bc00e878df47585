// Bad chunk frames from a peer, one sequence a line: unknown kinds, cut
// headers, indexes out of range, counts that change, duplicates, floods of
// unfinished messages and huge declared totals; and, for contrast, good
// chunks out of order, which must still make the message. Each names the
// ChunkError the reassembler must throw at the last frame.

const WHOLE = 0x00;
const PART = 0x01;

/** A chunk frame: kind, messageId, index, count (u32, big-endian), payload. */
export function part(
	messageId: number,
	index: number,
	count: number,
	payload: number[] = [index + 1]
): Uint8Array {
	const frame = new Uint8Array(13 + payload.length);
	const view = new DataView(frame.buffer);
	frame[0] = PART;
	view.setUint32(1, messageId >>> 0);
	view.setUint32(5, index >>> 0);
	view.setUint32(9, count >>> 0);
	frame.set(payload, 13);
	return frame;
}

const whole = (...payload: number[]) => new Uint8Array([WHOLE, ...payload]);
const U32_MAX = 0xffffffff;

/** Refused at the last frame with this ChunkError message (any of them, when a list). */
type Refused = { error: string | string[] };
/** The last frame completes this message. */
type Completes = { message: number[] };

export const chunkCases: [label: string, frames: Uint8Array[], expected: Refused | Completes][] = [
	['an empty frame', [new Uint8Array(0)], { error: 'empty frame' }],
	['a frame of kind 2', [new Uint8Array([2, 0, 0])], { error: 'unknown frame' }],
	['a frame of kind 255', [new Uint8Array([255, ...part(1, 0, 2)])], { error: 'unknown frame' }],
	[
		'a text-looking frame',
		[new TextEncoder().encode('{"type":"sync"}')],
		{ error: 'unknown frame' }
	],
	...[1, 2, 5, 9, 12].map((length): [string, Uint8Array[], Refused] => [
		`a chunk header cut to ${length} bytes`,
		[part(1, 0, 2).slice(0, length)],
		{ error: 'unknown frame' }
	]),
	['a count of zero', [part(1, 0, 0)], { error: 'chunk index out of range' }],
	['a count of one', [part(1, 0, 1)], { error: 'chunk index out of range' }],
	['an index equal to the count', [part(1, 2, 2)], { error: 'chunk index out of range' }],
	['an index past the count', [part(1, 7, 3)], { error: 'chunk index out of range' }],
	[
		'the largest index with a small count',
		[part(1, U32_MAX, 2)],
		{ error: 'chunk index out of range' }
	],
	['a duplicate first chunk', [part(1, 0, 3), part(1, 0, 3)], { error: 'duplicate chunk' }],
	['a duplicate last chunk', [part(1, 2, 3), part(1, 2, 3)], { error: 'duplicate chunk' }],
	[
		'a duplicate with other bytes',
		[part(1, 1, 3, [1]), part(1, 1, 3, [9])],
		{ error: 'duplicate chunk' }
	],
	[
		'the count grows mid-message',
		[part(1, 0, 3), part(1, 1, 4)],
		{ error: 'chunk count changed mid-message' }
	],
	[
		'the count shrinks mid-message',
		[part(1, 0, 3), part(1, 1, 2)],
		{ error: 'chunk count changed mid-message' }
	],
	[
		'33 unfinished messages at once',
		Array.from({ length: 33 }, (_, id) => part(id + 1, 0, 2)),
		{ error: 'too many unfinished messages' }
	],
	[
		'33 messages declaring 4 billion chunks each',
		Array.from({ length: 33 }, (_, id) => part(id + 1, 0, U32_MAX)),
		// Refused for its size, or once too many are waiting: never held, never allocated.
		{ error: ['message too large', 'too many unfinished messages'] }
	],
	[
		'33 messages at the largest message id',
		Array.from({ length: 33 }, (_, n) => part(U32_MAX - n, 0, 2)),
		{ error: 'too many unfinished messages' }
	],
	// Good chunks in any order still make the message.
	['chunks in order', [part(5, 0, 3), part(5, 1, 3), part(5, 2, 3)], { message: [1, 2, 3] }],
	['chunks in reverse', [part(5, 2, 3), part(5, 1, 3), part(5, 0, 3)], { message: [1, 2, 3] }],
	['chunks shuffled', [part(5, 1, 3), part(5, 2, 3), part(5, 0, 3)], { message: [1, 2, 3] }],
	[
		'two messages interleaved',
		[part(5, 1, 2), part(6, 0, 2), part(6, 1, 2), part(5, 0, 2)],
		{ message: [1, 2] }
	],
	['a whole message after an unfinished one', [part(5, 0, 2), whole(7, 7)], { message: [7, 7] }],
	['an empty whole message', [whole()], { message: [] }],
	['chunks with empty payloads', [part(5, 0, 2, []), part(5, 1, 2, [])], { message: [] }]
];

/** Frames of a peer's channel that are not bytes at all. */
export const channelDataCases: [label: string, data: unknown][] = [
	['a number', 42],
	['null', null],
	['undefined', undefined],
	['an object', { type: 'sync', data: [1, 2, 3] }],
	['a list of bytes', [0, 1, 2]],
	['a Blob', new Blob([new Uint8Array([0, 1])])]
];
