// Sneakernet bundles: a space's state (or only what another device lacks)
// as an encrypted file to carry by USB stick, Bluetooth or mail.
//
//   "BRBUNDLE" (8 bytes) · header length (u16, big-endian) · header (UTF-8 JSON)
//   · nonce (24 bytes) · XChaCha20-Poly1305( deflate-raw( Yjs update ) )
//
// The header is authenticated as associated data, so neither it nor the
// contents can be changed unnoticed. The key is derived from the space key
// (keys.ts), so only members can read a bundle. Every way a file can be
// wrong ends in a BundleError naming the problem (the view says it in the
// person's language), before anything touches the space.
// docs/bundle-format.md describes the format.
import { deflateRaw, inflateRaw, InflateLimitError } from './compression';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import * as v from 'valibot';
import { fromBase64Url, toBase64Url, type SpaceId } from '../domain/ids';

export const BUNDLE_MAGIC = new TextEncoder().encode('BRBUNDLE');
/**
 * The newest format this app reads. Version 1 carries a Yjs update; version 2
 * carries signed log ranges (sync v2, v2/log-bundle.ts), so an app that knows
 * only version 1 says a newer app made it instead of calling it damaged.
 */
export const BUNDLE_VERSION = 2;
/** Larger files are refused before they are read into memory. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
/**
 * The most a bundle's contents may unpack to: ten times the largest space
 * measured (50,000 ledger entries, 11.5 MiB), so a small file cannot make a
 * phone inflate gigabytes.
 */
export const MAX_UPDATE_BYTES = 128 * 1024 * 1024;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 4096;

const HeaderSchema = v.object({
	format: v.literal('barnraise-bundle'),
	version: v.number(),
	spaceId: v.pipe(v.string(), v.maxLength(64)),
	spaceName: v.optional(v.pipe(v.string(), v.maxLength(80)), ''),
	contains: v.picklist(['full', 'delta']),
	/** What the contents are: a Yjs update, or signed log ranges (sync v2). */
	carries: v.optional(v.picklist(['yjs-update', 'signed-logs']), 'yjs-update'),
	/** For a delta: the state (Yjs state vector, base64url) it completes. */
	since: v.optional(v.nullable(v.string()), null),
	createdAt: v.number(),
	/**
	 * Bytes after the header (nonce and ciphertext), so a file cut short is told
	 * from one changed after it was made. Older bundles have none.
	 */
	bodyBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)))
});
export type BundleHeader = v.InferOutput<typeof HeaderSchema>;

/**
 * Why a file was refused. `truncated`: part of it is missing. `altered`: it
 * fails authentication — changed after it was made (or sealed under another
 * key). `damaged`: it cannot be read for another reason. `unpacks-too-large`:
 * a small file whose contents would inflate past what a space can hold.
 */
export type BundleProblem =
	| 'too-large'
	| 'not-a-bundle'
	| 'truncated'
	| 'damaged'
	| 'newer-version'
	| 'other-space'
	| 'altered'
	| 'unpacks-too-large'
	/** Made on the other sync (signed logs or not) than this space runs. */
	| 'other-sync';

export class BundleError extends Error {
	readonly problem: BundleProblem;
	/** For `other-space`: that space's name, when the bundle says it. */
	readonly spaceName: string;
	constructor(problem: BundleProblem, spaceName = '') {
		super(`Bundle refused: ${problem}`);
		this.problem = problem;
		this.spaceName = spaceName;
	}
}

/** The largest file read, in MiB, for saying so. */
export const MAX_BUNDLE_MIB = MAX_BUNDLE_BYTES / 2 ** 20;

/** What a bundle's maker says in its header (the rest is filled in). */
export type BundleHeaderFields = Omit<
	BundleHeader,
	'format' | 'version' | 'bodyBytes' | 'carries'
> & {
	carries?: BundleHeader['carries'];
};

export async function writeBundle(
	update: Uint8Array,
	header: BundleHeaderFields,
	bundleKey: Uint8Array
): Promise<Uint8Array> {
	const compressed = await deflateRaw(update);
	const bodyBytes = NONCE_BYTES + compressed.length + TAG_BYTES;
	// Version 1 still for a Yjs update: every app made so far reads it.
	const version = header.carries === 'signed-logs' ? 2 : 1;
	const headerBytes = new TextEncoder().encode(
		JSON.stringify({ format: 'barnraise-bundle', version, ...header, bodyBytes })
	);
	const prefix = new Uint8Array(BUNDLE_MAGIC.length + 2 + headerBytes.length);
	prefix.set(BUNDLE_MAGIC, 0);
	new DataView(prefix.buffer).setUint16(BUNDLE_MAGIC.length, headerBytes.length);
	prefix.set(headerBytes, BUNDLE_MAGIC.length + 2);
	const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
	const sealed = xchacha20poly1305(bundleKey, nonce, prefix).encrypt(compressed);
	const file = new Uint8Array(prefix.length + NONCE_BYTES + sealed.length);
	file.set(prefix, 0);
	file.set(nonce, prefix.length);
	file.set(sealed, prefix.length + NONCE_BYTES);
	return file;
}

/** Read only the header: which space a file belongs to, before any key is needed. */
export function readBundleHeader(file: Uint8Array): { header: BundleHeader; bodyOffset: number } {
	if (file.byteLength > MAX_BUNDLE_BYTES) {
		throw new BundleError('too-large');
	}
	const magicOk =
		file.byteLength >= BUNDLE_MAGIC.length + 2 && BUNDLE_MAGIC.every((byte, i) => file[i] === byte);
	if (!magicOk) {
		throw new BundleError('not-a-bundle');
	}
	const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint16(
		BUNDLE_MAGIC.length
	);
	const start = BUNDLE_MAGIC.length + 2;
	if (length > MAX_HEADER_BYTES) throw new BundleError('damaged');
	if (start + length + NONCE_BYTES + TAG_BYTES > file.byteLength)
		throw new BundleError('truncated');
	let raw: unknown;
	try {
		raw = JSON.parse(
			new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(start, start + length))
		);
	} catch {
		throw new BundleError('damaged');
	}
	const version = (raw as { version?: unknown } | null)?.version;
	if (typeof version === 'number' && version > BUNDLE_VERSION) {
		throw new BundleError('newer-version');
	}
	const result = v.safeParse(HeaderSchema, raw);
	if (!result.success) throw new BundleError('damaged');
	const bodyOffset = start + length;
	const { bodyBytes } = result.output;
	if (bodyBytes !== undefined && file.byteLength < bodyOffset + bodyBytes)
		throw new BundleError('truncated');
	return { header: result.output, bodyOffset };
}

/**
 * Open a bundle for a space: checks it belongs to `spaceId`, authenticates
 * and decrypts it. Returns the Yjs update inside; throws BundleError.
 */
export async function openBundle(
	file: Uint8Array,
	spaceId: SpaceId,
	bundleKey: Uint8Array,
	maxUpdateBytes = MAX_UPDATE_BYTES
): Promise<{ header: BundleHeader; update: Uint8Array }> {
	const { header, bodyOffset } = readBundleHeader(file);
	if (header.spaceId !== spaceId) throw new BundleError('other-space', header.spaceName);
	const nonce = file.subarray(bodyOffset, bodyOffset + NONCE_BYTES);
	const sealed = file.subarray(bodyOffset + NONCE_BYTES);
	let compressed: Uint8Array;
	try {
		compressed = xchacha20poly1305(bundleKey, nonce, file.subarray(0, bodyOffset)).decrypt(sealed);
	} catch {
		// A file longer than it says, or one that fails authentication, was changed.
		throw new BundleError('altered');
	}
	try {
		return { header, update: await inflateRaw(compressed, maxUpdateBytes) };
	} catch (failure) {
		throw new BundleError(failure instanceof InflateLimitError ? 'unpacks-too-large' : 'damaged');
	}
}

export const encodeStateVector = (vector: Uint8Array): string => toBase64Url(vector);
export const decodeStateVector = (text: string): Uint8Array | null => fromBase64Url(text);
