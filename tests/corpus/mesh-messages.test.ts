// Runs the mesh-message corpus (mesh-messages.cases.ts) through the check a
// mesh link makes before y-webrtc reads a message, and through a chunked
// channel screened by it: a refused message never reaches the reader above,
// the channel is closed for it, and the reason is told.
import { beforeAll, describe, expect, it } from 'vitest';
import { ChunkedChannel, type RawDataChannel } from '../../src/lib/sync/chunked-channel';
import { frameMessage } from '../../src/lib/sync/chunking';
import { refuseMeshMessage } from '../../src/lib/sync/mesh-message';
import { meshMessageCases } from './mesh-messages.cases';
import { makeSyncFixture } from './sync-fixture';
import type { SyncFixture } from './sync-messages.cases';

let fixture: SyncFixture;

beforeAll(() => {
	fixture = makeSyncFixture();
});

function openChannel(): RawDataChannel & { closed: boolean } {
	return {
		label: 'corpus',
		readyState: 'open',
		bufferedAmount: 0,
		bufferedAmountLowThreshold: 0,
		binaryType: 'arraybuffer',
		onopen: null,
		onclose: null,
		onerror: null,
		onmessage: null,
		onbufferedamountlow: null,
		closed: false,
		send() {},
		close() {
			this.closed = true;
		}
	};
}

describe('bad messages down a mesh link', () => {
	it.each(meshMessageCases)('%s', (_label, make, expected) => {
		const message = make(fixture);
		expect(refuseMeshMessage(message)).toBe(expected === 'accepted' ? null : expected);

		const inner = openChannel();
		const problems: [string, boolean][] = [];
		const delivered: Uint8Array[] = [];
		const channel = new ChunkedChannel(inner, {
			screen: refuseMeshMessage,
			onProtocolError: (problem, dropsLink) => problems.push([problem, dropsLink])
		});
		channel.onmessage = (event) => delivered.push(new Uint8Array(event.data));
		for (const frame of frameMessage(message, 1, 64))
			inner.onmessage?.({ data: frame.slice().buffer });
		if (expected === 'accepted') {
			expect(problems).toEqual([]);
			expect(delivered).toEqual([message]);
			expect(inner.closed).toBe(false);
		} else {
			expect(problems).toEqual([[expected, true]]);
			expect(delivered).toEqual([]);
			expect(inner.closed).toBe(true);
		}
	});
});
