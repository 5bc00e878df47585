// The one switch for sync protocol v2 while today's sync is still beside it
// (docs/sync-protocol.md, "As built: v2 by default"): on, unless this
// device's localStorage says `barnraise:sync-v2` = `off` (the browser tests
// of today's path, and a way back should v2 fail someone in the field). A
// space opened with it on syncs only with devices that have it on too (a
// space made before it is migrated, and is then refused by apps without
// v2), so it has no place in Settings: it goes with today's sync.
const KEY = 'barnraise:sync-v2';

export function isSignedSyncOn(): boolean {
	try {
		return globalThis.localStorage?.getItem(KEY) !== 'off';
	} catch {
		return true;
	}
}
