// The one switch for sync protocol v2 while it grows beside today's sync
// (docs/sync-protocol.md, "Slices"): off unless this device's localStorage
// says `barnraise:sync-v2` = `on`. A space made or opened with it on syncs
// only with devices that have it on too (a space made before it is migrated
// when such a device opens it, and is then refused by apps without v2), so
// it has no place in Settings: it goes once v2 is on for everyone.
const KEY = 'barnraise:sync-v2';

export function isSignedSyncOn(): boolean {
	try {
		return globalThis.localStorage?.getItem(KEY) === 'on';
	} catch {
		return false;
	}
}
