// A bundle chosen on the home screen, waiting for its space to open: the
// space's page imports it as soon as the doc is loaded. Kept in memory only.
import type { SpaceId } from '../domain/ids';

let pending: { spaceId: SpaceId; file: Uint8Array } | null = null;

export function setPendingImport(spaceId: SpaceId, file: Uint8Array): void {
	pending = { spaceId, file };
}

/** Take the pending bundle for this space, if there is one (once). */
export function takePendingImport(spaceId: SpaceId): Uint8Array | null {
	if (!pending || pending.spaceId !== spaceId) return null;
	const { file } = pending;
	pending = null;
	return file;
}
