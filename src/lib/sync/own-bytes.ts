// IndexedDB keeps what structured clone makes of a value, and structured clone
// of a Uint8Array keeps its whole buffer. An entry, a signature or a Yjs update
// cut out of the message it came in (a range of about 1 MiB) would be stored
// as that whole message, once for each: several times the space on a phone,
// and the time to clone it.

/** `bytes` with a buffer of its own: itself when it has one, else a copy. */
export function ownBytes<T extends Uint8Array>(bytes: T): T {
	return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
		? bytes
		: (bytes.slice() as T);
}
