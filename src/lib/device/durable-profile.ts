// The durable copy of this device's profile: the name picked here and its
// member id, which marks this person's posts and entries as theirs. Kept in
// the device's IndexedDB database (device-db.ts) beside the list of spaces,
// for the same reason: Chromium writes localStorage to disk only every few
// seconds, and a browser killed just after a name was picked asked for it
// again and made a new member id, so the person's earlier posts looked like
// someone else's. As for the spaces (durable-spaces.ts):
//
// - saving the profile (the first name, a rename) is one read-write
//   transaction that writes the durable copy and, inside it, the fast one
//   (device-store.ts); it is done only once that transaction has committed;
// - at startup `restoreProfile` brings it back into localStorage when only
//   the durable copy has it (or has a newer name), and copies it in when
//   only localStorage has it (the app before this copy existed);
// - a damaged record is ignored and left in place; the wipe clears it first,
//   with the keys (device-db.ts).
import {
	loadProfile,
	newMemberId,
	readProfile,
	writeProfileLocally,
	type Profile
} from './device-store';
import { PROFILE, PROFILE_RECORD, writeDeviceDb } from './device-db';

/**
 * Keep `displayName` as this device's name, in both copies, under the member
 * id it already has (read inside the transaction, so a copy lost from
 * localStorage still gives the same one), or a new one the first time.
 * Resolves with the profile once it committed.
 */
export async function saveProfile(
	displayName: string,
	factory: IDBFactory = indexedDB
): Promise<Profile> {
	let saved: Profile | undefined;
	await writeDeviceDb(factory, true, [PROFILE], (transaction) => {
		const store = transaction.objectStore(PROFILE);
		const read = store.get(PROFILE_RECORD);
		read.onsuccess = () => {
			const memberId =
				readProfile(read.result)?.memberId ?? loadProfile()?.memberId ?? newMemberId();
			const profile: Profile = { memberId, displayName };
			store.put(profile, PROFILE_RECORD).onsuccess = () => {
				writeProfileLocally(profile);
				saved = profile;
			};
		};
	});
	if (!saved) throw new Error('The name was not saved.');
	return saved;
}

/**
 * At startup, before a page asks for a name: make localStorage hold the
 * durable profile, and the durable copy the localStorage one when it has
 * none. Only what changed is written.
 */
export async function restoreProfile(factory: IDBFactory = indexedDB): Promise<void> {
	// No database and nothing to copy in: none is made (a wiped device stays empty).
	await writeDeviceDb(factory, loadProfile() !== null, [PROFILE], (transaction) => {
		const store = transaction.objectStore(PROFILE);
		const read = store.get(PROFILE_RECORD);
		read.onsuccess = () => {
			const local = loadProfile();
			const durable = readProfile(read.result);
			if (durable) {
				// The durable copy is the newer one: both are written together, it first to disk.
				if (JSON.stringify(durable) !== JSON.stringify(local)) writeProfileLocally(durable);
			} else if (read.result === undefined && local) {
				store.put(local, PROFILE_RECORD);
			}
		};
	});
}
