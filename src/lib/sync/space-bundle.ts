// Bundles for one space's doc: export all of it, or only what another
// device lacks (given that device's state code), and import — which merges,
// like any other sync. Nothing changes unless the whole bundle checks out.
import * as Y from 'yjs';
import { ORIGINS } from '../doc/roots';
import { readMeta } from '../doc/space-doc';
import { isWholeUpdate } from '../doc/whole-update';
import { fromBase64Url, toBase64Url } from '../domain/ids';
import { BundleError, openBundle, writeBundle, type BundleHeader } from './bundle';
import type { SpaceSecrets } from './keys';

const STATE_CODE_PREFIX = 'BRSV1.';

/** A short text that says what this device already has, for a delta bundle. */
export function stateCode(doc: Y.Doc): string {
	return STATE_CODE_PREFIX + toBase64Url(Y.encodeStateVector(doc));
}

/** Why a typed state code was refused. */
export type StateCodeProblem = 'not-a-state-code' | 'state-code-damaged';

export type ParsedStateCode =
	{ ok: true; vector: Uint8Array } | { ok: false; problem: StateCodeProblem };

export function parseStateCode(text: string): ParsedStateCode {
	const trimmed = text.trim();
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

export async function exportSpaceBundle(
	doc: Y.Doc,
	secrets: SpaceSecrets,
	since: Uint8Array | null = null,
	options: { showName?: boolean } = {}
): Promise<{ file: Uint8Array; header: Omit<BundleHeader, 'format' | 'version' | 'bodyBytes'> }> {
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

/** Merge a bundle into the space. Returns whether it brought anything new. */
export async function importSpaceBundle(
	doc: Y.Doc,
	secrets: SpaceSecrets,
	file: Uint8Array
): Promise<{ header: BundleHeader; changed: boolean }> {
	const { header, update } = await openBundle(file, secrets.spaceId, secrets.bundleKey);
	// Checked whole before touching the doc, so a bad one changes nothing.
	if (!isWholeUpdate(update)) throw new BundleError('damaged');
	const before = Y.encodeStateVector(doc);
	Y.applyUpdate(doc, update, ORIGINS.bundle);
	const after = Y.encodeStateVector(doc);
	return {
		header,
		changed: before.length !== after.length || before.some((byte, i) => byte !== after[i])
	};
}
