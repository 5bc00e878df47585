// Migrating a space made before signed logs (docs/sync-protocol.md,
// "Migrating spaces made before v2" and "As built: slice 6"): what a device
// held of it before v2 becomes one `legacy` entry of its own signed log —
// `Y.encodeStateAsUpdate` of the old doc, which says itself which state it
// covers — and the space's schema version goes to 2, so an app that knows
// only version 1 refuses to write into it. Each device that held the space
// imports all it held; Yjs drops what two imports share. What it never does:
// import anything a signed log wrote, or import what peers would refuse.
import * as Y from 'yjs';
import { metaMap } from '../../doc/space-doc';
import { ORIGINS } from '../../doc/roots';
import { judgeUpdate } from '../../doc/update-rules';
import { isLegacyClient } from '../../domain/writers';
import { SIGNED_SCHEMA_VERSION } from '../../domain/versions';

export type LegacyContent =
	| { ok: true; update: Uint8Array }
	/** Something in the old doc every peer would refuse: the space stays on today's sync. */
	| { ok: false; problem: string };

/**
 * The content of `doc` from before signed logs, as one update, judged the way
 * peers will judge it. Only a doc that holds nothing a signed log wrote can
 * be imported: signed content travels in its author's log, never as legacy.
 */
export function legacyContent(doc: Y.Doc): LegacyContent {
	if (holdsSignedContent(doc))
		return { ok: false, problem: 'it holds signed content but no signed logs' };
	const update = Y.encodeStateAsUpdate(doc);
	// Self-contained (a whole doc refers only to itself), so an empty doc judges it as any peer does.
	const judgement = judgeUpdate(new Y.Doc(), update, 'legacy');
	if (judgement.verdict === 'accept') return { ok: true, update };
	return {
		ok: false,
		problem: judgement.verdict === 'hold' ? 'it refers to content it lacks' : judgement.reason
	};
}

/** Whether anything in `doc` was written under a signed log's client id. */
export function holdsSignedContent(doc: Y.Doc): boolean {
	for (const client of doc.store.clients.keys()) if (!isLegacyClient(client)) return true;
	return false;
}

/**
 * Raise the space's schema version to 2 (after the import, as this device's
 * own signed change), so apps that know only version 1 write nothing into it.
 */
export function markSigned(doc: Y.Doc): void {
	const meta = metaMap(doc);
	const version = meta.get('schemaVersion');
	// A space still arriving has no version yet: its maker's log brings one.
	if (typeof version !== 'number' || version >= SIGNED_SCHEMA_VERSION) return;
	doc.transact(() => meta.set('schemaVersion', SIGNED_SCHEMA_VERSION), ORIGINS.local);
}
