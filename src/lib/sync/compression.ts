// deflate-raw through the platform's CompressionStream, for links, bundles and
// pairing codes. Inflating untrusted bytes stops as soon as the output
// passes a cap, so a small file that inflates to gigabytes costs nothing.

export class InflateLimitError extends Error {
	constructor(readonly limit: number) {
		super(`The data inflates past ${limit} bytes.`);
	}
}

/** Pieces read into deflating at a time: what a device packs is its own. */
const DEFLATE_PIECE = 1024 * 1024;
/**
 * Pieces read into inflating at a time: each inflates to at most about a
 * thousand times its size before the cap is checked again.
 */
const INFLATE_PIECE = 16 * 1024;

/**
 * `bytes` as a stream made in this thread, one piece each time it is read.
 * Not a Blob's stream: that copies the bytes to the browser's blob store and
 * back, which took two thirds of the time of deflating a join's 11 MB. The
 * pieces are views, not copies: callers leave `bytes` as they are until the
 * promise settles (every caller hands over a buffer of its own).
 */
function streamOf(bytes: Uint8Array, piece: number): ReadableStream<BufferSource> {
	let at = 0;
	return new ReadableStream<BufferSource>(
		{
			pull(controller) {
				if (at >= bytes.length) return controller.close();
				controller.enqueue(bytes.subarray(at, at + piece) as BufferSource);
				at += piece;
			}
		},
		{ highWaterMark: 0 }
	);
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
	const output = streamOf(bytes, DEFLATE_PIECE).pipeThrough(new CompressionStream('deflate-raw'));
	return new Uint8Array(await new Response(output).arrayBuffer());
}

/** Inflate, reading as a stream; throws InflateLimitError past `maxBytes` of output. */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
	const reader = streamOf(bytes, INFLATE_PIECE)
		.pipeThrough(new DecompressionStream('deflate-raw'))
		.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel().catch(() => {});
			throw new InflateLimitError(maxBytes);
		}
		chunks.push(value);
	}
	const output = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		output.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return output;
}
