// deflate-raw through the platform's CompressionStream, for links, bundles
// and pairing codes. Inflating untrusted bytes stops as soon as the output
// passes a cap, so a small file that inflates to gigabytes costs nothing.

export class InflateLimitError extends Error {
	constructor(readonly limit: number) {
		super(`The data inflates past ${limit} bytes.`);
	}
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
	const output = new Blob([bytes as BlobPart])
		.stream()
		.pipeThrough(new CompressionStream('deflate-raw'));
	return new Uint8Array(await new Response(output).arrayBuffer());
}

/** Inflate, reading as a stream; throws InflateLimitError past `maxBytes` of output. */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
	const reader = new Blob([bytes as BlobPart])
		.stream()
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
