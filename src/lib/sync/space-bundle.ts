// Bundles of one space: its signed logs (v2/log-bundle.ts), all of them or
// only what another device lacks, given that device's state code (its log
// vector); importing verifies and judges like any link, so a range that
// does not verify is refused and the rest is taken. A bundle an older app
// made (a Yjs update, unsigned) and an older app's state code are refused,
// saying so: unsigned content would reach no other device, and cannot be
// judged.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { readMeta } from '../doc/space-doc';
import { fromBase64Url, toBase64Url } from '../domain/ids';
import {
	BundleError,
	openBundle,
	writeBundle,
	type BundleHeader,
	type BundleHeaderFields
} from './bundle';
import type { SpaceSecrets } from './keys';
import { hexOf } from './v2/author-key';
import type { BundleTarget } from './v2/log-bundle';

/** An older app's state code: a Yjs state vector. */
const STATE_CODE_PREFIX = 'BRSV1.';
/** A device's state code: its log vector (author and length, per author). */
const LOG_CODE_PREFIX = 'BRLV1.';
const AUTHOR_BYTES = 32;

/** A short text that says what this device already has, for a delta bundle: its log vector. */
export function logStateCode(tips: { author: Uint8Array; length: number }[]): string {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, tips.length);
	for (const tip of tips) {
		encoding.writeUint8Array(encoder, tip.author);
		encoding.writeVarUint(encoder, tip.length);
	}
	return LOG_CODE_PREFIX + toBase64Url(encoding.toUint8Array(encoder));
}

/** Why a typed state code was refused. */
export type StateCodeProblem = 'not-a-state-code' | 'state-code-damaged' | 'state-code-other-sync';

export type ParsedStateCode =
	/** Entries held, by author key (hex). */
	{ ok: true; lengths: Map<string, number> } | { ok: false; problem: StateCodeProblem };

function parseLogCode(text: string): ParsedStateCode {
	const bytes = fromBase64Url(text.slice(LOG_CODE_PREFIX.length));
	if (!bytes) return { ok: false, problem: 'not-a-state-code' };
	try {
		const decoder = decoding.createDecoder(bytes);
		const count = decoding.readVarUint(decoder);
		const lengths = new Map<string, number>();
		for (let i = 0; i < count; i++) {
			const author = hexOf(decoding.readUint8Array(decoder, AUTHOR_BYTES));
			const length = decoding.readVarUint(decoder);
			if (!Number.isSafeInteger(length)) throw new Error('length');
			lengths.set(author, length);
		}
		if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
		return { ok: true, lengths };
	} catch {
		return { ok: false, problem: 'state-code-damaged' };
	}
}

export function parseStateCode(text: string): ParsedStateCode {
	const trimmed = text.trim();
	if (trimmed.startsWith(LOG_CODE_PREFIX)) return parseLogCode(trimmed);
	const bytes = trimmed.startsWith(STATE_CODE_PREFIX)
		? fromBase64Url(trimmed.slice(STATE_CODE_PREFIX.length))
		: null;
	if (!bytes) return { ok: false, problem: 'not-a-state-code' };
	try {
		Y.decodeStateVector(bytes);
	} catch {
		return { ok: false, problem: 'state-code-damaged' };
	}
	// Whole, but an older app's: it says nothing about signed logs.
	return { ok: false, problem: 'state-code-other-sync' };
}

/**
 * A bundle of the space: its signed logs, or (`since`, another device's log
 * lengths) only the ranges that device lacks.
 */
export async function exportSignedBundle(
	signed: BundleTarget,
	doc: Y.Doc,
	secrets: SpaceSecrets,
	since: Map<string, number> | null = null,
	options: { showName?: boolean } = {}
): Promise<{ file: Uint8Array; header: BundleHeaderFields }> {
	const { encodeLogBundle } = await import('./v2/log-bundle');
	// A change made a moment ago may still wait in the batcher: it goes in too.
	await signed.flush();
	const body = encodeLogBundle(signed.engine, since ?? new Map());
	const header: BundleHeaderFields = {
		spaceId: secrets.spaceId,
		spaceName: options.showName ? (readMeta(doc)?.name ?? '') : '',
		contains: since ? 'delta' : 'full',
		carries: 'signed-logs',
		since: null,
		createdAt: Date.now()
	};
	return { file: await writeBundle(body, header, secrets.bundleKey), header };
}

/**
 * Merge a bundle into the space. Returns whether it brought anything new, and
 * how many of its ranges were refused for not verifying. Only signed logs
 * are taken: a bundle an older app made is `other-sync`.
 */
export async function importSpaceBundle(
	secrets: SpaceSecrets,
	file: Uint8Array,
	signed: BundleTarget
): Promise<{ header: BundleHeader; changed: boolean; refused: number }> {
	const { header, update } = await openBundle(file, secrets.spaceId, secrets.bundleKey);
	if (header.carries !== 'signed-logs') throw new BundleError('other-sync');
	const { importLogBundle } = await import('./v2/log-bundle');
	return { header, ...importLogBundle(signed, update) };
}
