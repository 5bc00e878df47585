// The one switch for sync protocol v2 while it grows beside today's sync
// (docs/sync-protocol.md, "Slices"): off unless this device's localStorage
// says `barnraise:sync-v2` = `on`. A space made or opened with it on syncs
// only with devices that have it on too, so it has no place in Settings
// until migration (slice 6) makes the two meet.
const KEY = 'barnraise:sync-v2';

export function isSignedSyncOn(): boolean {
	try {
		return globalThis.localStorage?.getItem(KEY) === 'on';
	} catch {
		return false;
	}
}
