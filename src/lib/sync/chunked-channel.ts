// A data channel that carries messages of any size. It wraps a real
// RTCDataChannel (browser or @roamhq/wrtc) and looks like one to simple-peer:
// `send()` frames a message into chunks (chunking.ts) and queues them;
// chunks go out only while the real channel's bufferedAmount is below a
// high-water mark, and resume on `bufferedamountlow` (back-pressure, so a
// 10 MB sync does not overflow the browser's send buffer and close the
// channel). Incoming chunks are reassembled before `onmessage` fires; a peer
// that breaks its share of the device's budget, or holds the most when the
// device needs room, loses the channel (chunking.ts, chunk-budget.ts).
import { deviceChunkBudget, type ChunkBudget } from './chunk-budget';
import {
	CHUNK_SIZE,
	ChunkError,
	frameMessage,
	Reassembler,
	type ReassemblerLimits
} from './chunking';

/** What we use of an RTCDataChannel; the browser's and @roamhq/wrtc's both fit. */
export interface RawDataChannel {
	readonly label: string;
	readonly readyState: string;
	readonly bufferedAmount: number;
	bufferedAmountLowThreshold: number;
	binaryType: string;
	onopen: ((event: unknown) => void) | null;
	onclose: ((event: unknown) => void) | null;
	onerror: ((event: unknown) => void) | null;
	onmessage: ((event: { data: unknown }) => void) | null;
	onbufferedamountlow: ((event: unknown) => void) | null;
	send(data: Uint8Array): void;
	close(): void;
}

const EMPTY = new Uint8Array(0);

/**
 * The first byte of a sync v2 message (v2/mesh-links.ts). y-webrtc's message
 * types are varuints below 128, so it never sends it; such a message goes to
 * `onDiverted`, never to y-webrtc.
 */
export const V2_PREFIX = 0xb2;
/** Bytes of v2 messages kept until someone listens (they arrive before simple-peer says "connected"). */
const MAX_EARLY_DIVERTED_BYTES = 1024 * 1024;

/** What `onProtocolError` hears when an idle unfinished message was thrown away to make room. */
export const MESSAGE_EXPIRED = 'unfinished message expired';
/** The same words the reassembler uses when this link itself passes its share. */
const OVER_BUDGET = 'unfinished messages over budget';

// Chromium closes a channel whose send buffer passes 16 MiB; 4 MiB keeps the
// pipe full while SCTP ramps up (1 MiB measured slower here) and stays far below.
export const HIGH_WATER_MARK = 4 * 1024 * 1024;
export const LOW_WATER_MARK = 1024 * 1024;

export interface ChunkedChannelOptions {
	chunkSize?: number;
	highWaterMark?: number;
	lowWaterMark?: number;
	/**
	 * Called once per malformed frame from the peer (which is then ignored),
	 * and once with `dropsLink` when the peer broke a limit and the channel is closed.
	 */
	onProtocolError?: (message: string, dropsLink: boolean, channel: ChunkedChannel) => void;
	/**
	 * Looks at each whole message before `onmessage` hears of it: a reason
	 * refuses the message and closes the channel (mesh-message.ts says why).
	 */
	screen?: (message: Uint8Array) => string | null;
	/** Sync v2 runs on this channel: keep its messages for `onDiverted` (else they are dropped). */
	divertsV2?: boolean;
	/**
	 * y-webrtc's presence messages (awareness, query) are neither sent nor
	 * read: in a sync v2 room presence goes as PRESENCE (v2/presence.ts),
	 * which y-webrtc would otherwise flood past on every renewal.
	 */
	dropsPresence?: boolean;
	/**
	 * y-webrtc's own sync messages are neither sent nor read: under sync v2
	 * y-webrtc syncs only a throwaway doc, which a member could otherwise
	 * fill without end, and y-webrtc would pass all of it on to every link.
	 */
	dropsYjsSync?: boolean;
	/** What the peer may make this side hold (chunking.ts has the defaults and why). */
	limits?: Partial<ReassemblerLimits>;
	/** Shared with every other link; `deviceChunkBudget` unless a test gives its own. */
	budget?: ChunkBudget;
}

function toBytes(data: unknown): Uint8Array {
	if (data instanceof Uint8Array) return data;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data))
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	if (typeof data === 'string') return new TextEncoder().encode(data);
	throw new TypeError('A chunked channel sends bytes or strings.');
}

export class ChunkedChannel {
	readonly inner: RawDataChannel;
	onopen: ((event: unknown) => void) | null = null;
	onclose: ((event: unknown) => void) | null = null;
	onerror: ((event: unknown) => void) | null = null;
	onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
	onbufferedamountlow: ((event: unknown) => void) | null = null;
	/** Kept for simple-peer; our own thresholds drive the real channel. */
	bufferedAmountLowThreshold = 0;
	binaryType = 'arraybuffer';

	#queue: Uint8Array[] = [];
	/** Index of the next frame to send: avoids O(n) shifts on long queues. */
	#head = 0;
	#queuedBytes = 0;
	#nextMessageId = 1;
	#reassembler: Reassembler;
	#options: Required<
		Omit<
			ChunkedChannelOptions,
			| 'onProtocolError'
			| 'limits'
			| 'screen'
			| 'budget'
			| 'divertsV2'
			| 'dropsPresence'
			| 'dropsYjsSync'
		>
	>;
	readonly #divertsV2: boolean;
	readonly #dropsPresence: boolean;
	readonly #dropsYjsSync: boolean;
	#onProtocolError: (message: string, dropsLink: boolean) => void;
	#screen: (message: Uint8Array) => string | null;

	constructor(inner: RawDataChannel, options: ChunkedChannelOptions = {}) {
		this.inner = inner;
		this.#options = {
			chunkSize: options.chunkSize ?? CHUNK_SIZE,
			highWaterMark: options.highWaterMark ?? HIGH_WATER_MARK,
			lowWaterMark: options.lowWaterMark ?? LOW_WATER_MARK
		};
		this.#divertsV2 = options.divertsV2 ?? false;
		this.#dropsPresence = options.dropsPresence ?? false;
		this.#dropsYjsSync = options.dropsYjsSync ?? false;
		const onProtocolError = options.onProtocolError;
		this.#onProtocolError = (message, dropsLink) => onProtocolError?.(message, dropsLink, this);
		this.#screen = options.screen ?? (() => null);
		this.#reassembler = new Reassembler(options.limits, {
			budget: options.budget ?? deviceChunkBudget,
			onEvicted: () => this.#onProtocolError(MESSAGE_EXPIRED, false),
			onDropped: () => {
				this.#onProtocolError(OVER_BUDGET, true);
				this.close();
			}
		});
		inner.binaryType = 'arraybuffer';
		inner.bufferedAmountLowThreshold = this.#options.lowWaterMark;
		inner.onopen = (event) => {
			this.onopen?.(event);
			this.#pump();
		};
		inner.onclose = (event) => {
			this.#dropQueue();
			this.#dropPartial();
			this.onclose?.(event);
		};
		inner.onerror = (event) => this.onerror?.(event);
		inner.onbufferedamountlow = () => this.#pump();
		inner.onmessage = (event) => this.#receive(event.data);
	}

	get label(): string {
		return this.inner.label;
	}
	get readyState(): string {
		return this.inner.readyState;
	}
	/** Bytes not yet handed to the network: ours plus the real channel's. */
	get bufferedAmount(): number {
		return this.#queuedBytes + this.inner.bufferedAmount;
	}

	send(data: unknown): void {
		if (this.inner.readyState !== 'open') {
			throw new DOMException('The data channel is not open', 'InvalidStateError');
		}
		const bytes = toBytes(data);
		if (this.#dropped(bytes)) return;
		const messageId = this.#nextMessageId;
		this.#nextMessageId = (this.#nextMessageId + 1) >>> 0 || 1;
		for (const frame of frameMessage(bytes, messageId, this.#options.chunkSize)) {
			this.#queue.push(frame);
			this.#queuedBytes += frame.byteLength;
		}
		this.#pump();
	}

	close(): void {
		this.#dropQueue();
		this.#dropPartial();
		this.#early = [];
		this.#earlyBytes = 0;
		this.inner.close();
	}

	#retryTimer: ReturnType<typeof setTimeout> | null = null;

	#pump(): void {
		const wasBusy = this.#head < this.#queue.length;
		while (this.#head < this.#queue.length && this.inner.readyState === 'open') {
			if (this.inner.bufferedAmount >= this.#options.highWaterMark) {
				// Some implementations (@roamhq/wrtc) never fire bufferedamountlow: poll instead.
				if (typeof this.inner.bufferedAmountLowThreshold !== 'number' && !this.#retryTimer) {
					this.#retryTimer = setTimeout(() => {
						this.#retryTimer = null;
						this.#pump();
					}, 20);
				}
				return;
			}
			const frame = this.#queue[this.#head] as Uint8Array;
			this.#queue[this.#head] = EMPTY;
			this.#head += 1;
			this.#queuedBytes -= frame.byteLength;
			try {
				this.inner.send(frame);
			} catch (error) {
				// The channel is going away; its close event will follow.
				this.#dropQueue();
				this.onerror?.({ error });
				return;
			}
		}
		if (wasBusy && this.#head >= this.#queue.length) {
			this.#dropQueue();
			this.onbufferedamountlow?.({});
		}
	}

	#diverted: ((message: Uint8Array) => void) | null = null;
	#early: Uint8Array[] = [];
	#earlyBytes = 0;

	/** Who hears sync v2 messages (without their prefix byte); those that came first are handed over. */
	get onDiverted(): ((message: Uint8Array) => void) | null {
		return this.#diverted;
	}
	set onDiverted(listener: ((message: Uint8Array) => void) | null) {
		this.#diverted = listener;
		if (!listener) return;
		this.#earlyBytes = 0;
		for (const message of this.#early.splice(0)) listener(message);
	}

	#divert(message: Uint8Array): void {
		// Without sync v2 on this channel nobody will ever listen: dropped.
		if (!this.#divertsV2) return;
		const body = message.subarray(1);
		if (this.#diverted) {
			try {
				this.#diverted(body);
			} catch (error) {
				// As for y-webrtc's reader below: a fault costs the message, not the process.
				this.#onProtocolError(`unreadable message (${String(error)})`, false);
			}
			return;
		}
		if (this.#earlyBytes + body.length > MAX_EARLY_DIVERTED_BYTES) return;
		this.#early.push(body);
		this.#earlyBytes += body.length;
	}

	/** A y-webrtc message this channel neither sends nor reads. */
	#dropped(message: Uint8Array): boolean {
		return (
			(this.#dropsPresence && isYjsPresence(message)) || (this.#dropsYjsSync && isYjsSync(message))
		);
	}

	#receive(data: unknown): void {
		let message: Uint8Array | null;
		try {
			message = this.#reassembler.push(toBytes(data));
		} catch (error) {
			const dropsLink = error instanceof ChunkError && error.dropsLink;
			this.#onProtocolError(error instanceof ChunkError ? error.message : String(error), dropsLink);
			if (dropsLink) this.close();
			return;
		}
		if (!message) return;
		// Sync v2's messages go to its engine, which checks its own; the screen is y-webrtc's.
		if (message[0] === V2_PREFIX) return this.#divert(message);
		// Not for y-webrtc here, and no fault either: y-webrtc on the peer sends them.
		if (this.#dropped(message)) return;
		const refused = this.#screen(message);
		if (refused !== null) {
			this.#onProtocolError(refused, true);
			this.close();
			return;
		}
		const buffer =
			message.byteOffset === 0 && message.byteLength === message.buffer.byteLength
				? (message.buffer as ArrayBuffer)
				: (message.slice().buffer as ArrayBuffer);
		try {
			this.onmessage?.({ data: buffer });
		} catch (error) {
			// The reader above (y-webrtc) threw on this message: it costs the
			// message, and must not escape into the WebRTC stack (under Node it
			// would end the process).
			this.#onProtocolError(`unreadable message (${String(error)})`, false);
		}
	}

	#dropPartial(): void {
		this.#reassembler.clear();
	}

	#dropQueue(): void {
		this.#queue = [];
		this.#head = 0;
		this.#queuedBytes = 0;
	}
}

/** y-webrtc's awareness (1) and awareness query (3) messages: their type is their first byte. */
/** y-webrtc's message types: 0 sync, 1 awareness, 3 query awareness. */
function isYjsSync(message: Uint8Array): boolean {
	return message[0] === 0;
}

function isYjsPresence(message: Uint8Array): boolean {
	return message[0] === 1 || message[0] === 3;
}
