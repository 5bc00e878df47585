// Bundles for one space's doc: export all of it, or only what another
// device lacks (given that device's state code), and import — which merges,
// like any other sync. Nothing changes unless the whole bundle checks out.
// A space on sync v2 bundles its signed logs instead (v2/log-bundle.ts,
// loaded only then): its state code is a log vector, and importing verifies
// and judges like any link, so a range that does not verify is refused and
// the rest is taken.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { ORIGINS } from '../doc/roots';
import { readMeta } from '../doc/space-doc';
import { isWholeUpdate } from '../doc/whole-update';
import { fromBase64Url, toBase64Url } from '../domain/ids';
import {
	BundleError,
	openBundle,
	writeBundle,
	type BundleHeader,
	type BundleHeaderFields
} from './bundle';
import type { SpaceSecrets } from './keys';
import type { BundleTarget } from './v2/log-bundle';

const STATE_CODE_PREFIX = 'BRSV1.';
/** A sync v2 device's state code: its log vector (author and length, per author). */
const LOG_CODE_PREFIX = 'BRLV1.';
const AUTHOR_BYTES = 32;

/** A short text that says what this device already has, for a delta bundle. */
export function stateCode(doc: Y.Doc): string {
	return STATE_CODE_PREFIX + toBase64Url(Y.encodeStateVector(doc));
}

/** A sync v2 device's state code, from its engine's log vector. */
export function logStateCode(tips: { author: Uint8Array; length: number }[]): string {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, tips.length);
	for (const tip of tips) {
		encoding.writeUint8Array(encoder, tip.author);
		encoding.writeVarUint(encoder, tip.length);
	}
	return LOG_CODE_PREFIX + toBase64Url(encoding.toUint8Array(encoder));
}

function hex(bytes: Uint8Array): string {
	return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Why a typed state code was refused. */
export type StateCodeProblem = 'not-a-state-code' | 'state-code-damaged' | 'state-code-other-sync';

export type ParsedStateCode =
	| { ok: true; vector: Uint8Array }
	/** A sync v2 device's: entries held, by author key (hex). */
	| { ok: true; lengths: Map<string, number> }
	| { ok: false; problem: StateCodeProblem };

function parseLogCode(text: string): ParsedStateCode {
	const bytes = fromBase64Url(text.slice(LOG_CODE_PREFIX.length));
	if (!bytes) return { ok: false, problem: 'not-a-state-code' };
	try {
		const decoder = decoding.createDecoder(bytes);
		const count = decoding.readVarUint(decoder);
		const lengths = new Map<string, number>();
		for (let i = 0; i < count; i++) {
			const author = hex(decoding.readUint8Array(decoder, AUTHOR_BYTES));
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
	return { ok: true, vector: bytes };
}

/**
 * A bundle of a sync v2 space: its signed logs, or (`since`, another v2
 * device's log lengths) only the ranges that device lacks.
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

export async function exportSpaceBundle(
	doc: Y.Doc,
	secrets: SpaceSecrets,
	since: Uint8Array | null = null,
	options: { showName?: boolean } = {}
): Promise<{ file: Uint8Array; header: BundleHeaderFields }> {
	const header = {
		spaceId: secrets.spaceId,
		// The one thing anyone holding the file could read: left out unless the person chose it.
		spaceName: options.showName ? (readMeta(doc)?.name ?? '') : '',
		contains: since ? ('delta' as const) : ('full' as const),
		since: since ? toBase64Url(since) : null,
		createdAt: Date.now()
	};
	const update = since ? Y.encodeStateAsUpdate(doc, since) : Y.encodeStateAsUpdate(doc);
	return { file: await writeBundle(update, header, secrets.bundleKey), header };
}

/**
 * Merge a bundle into the space. Returns whether it brought anything new, and
 * (sync v2) how many of its ranges were refused for not verifying. A space
 * on sync v2 (`signed`) takes only signed logs: unsigned content would reach
 * no other v2 device, and a space on today's sync cannot check signed ones.
 */
export async function importSpaceBundle(
	doc: Y.Doc,
	secrets: SpaceSecrets,
	file: Uint8Array,
	signed: BundleTarget | null = null
): Promise<{ header: BundleHeader; changed: boolean; refused: number }> {
	const { header, update } = await openBundle(file, secrets.spaceId, secrets.bundleKey);
	if ((header.carries === 'signed-logs') !== (signed !== null)) throw new BundleError('other-sync');
	if (signed) {
		const { importLogBundle } = await import('./v2/log-bundle');
		return { header, ...importLogBundle(signed, update) };
	}
	// Checked whole before touching the doc, so a bad one changes nothing.
	if (!isWholeUpdate(update)) throw new BundleError('damaged');
	const before = Y.encodeStateVector(doc);
	Y.applyUpdate(doc, update, ORIGINS.bundle);
	const after = Y.encodeStateVector(doc);
	return {
		header,
		changed: before.length !== after.length || before.some((byte, i) => byte !== after[i]),
		refused: 0
	};
}
