// "Wipe this device": remove every space, key, cached page and setting the
// app keeps in this browser, in one action. A seized phone should give
// nothing away. The keys go first: a device without them cannot read
// whatever data is left, and nothing another tab does can hold them back —
// the durable copies of the spaces with their keys and of the profile (the
// name and member id that identify the person; device-db.ts) and each
// space's device signing key are cleared in read-write transactions, which an
// open connection does not block, then localStorage.
// Then open sessions are closed (IndexedDB will not delete a database that
// is still open), other tabs of the app are told to close theirs over a
// BroadcastChannel, and each database is deleted, waiting a bounded time
// for a tab that keeps one open.
//
// It removes only what belongs to this origin, which is all the app's.
import { DEVICE_FILES_DB } from './device-files';
import { deleteDatabaseWithin } from './delete-database';
import { clearDeviceDb, DEVICE_DB } from './device-db';

export const WIPE_CHANNEL = 'barnraise:wipe';

/** What the wipe did. It throws only when it could not clear the keys in localStorage. */
export interface WipeReport {
	/** False when the durable copy of the keys could be neither cleared nor deleted. */
	keysCleared: boolean;
	deleted: string[];
	/** Still held open by another tab: the browser deletes them once it lets go. */
	pending: string[];
	/** The browser refused to delete them. */
	failed: string[];
	caches: string[];
	serviceWorkers: number;
}

/** How long the wipe waits for open sessions to close and for each database. */
export const WIPE_WAIT_MS = 5_000;

/**
 * Set while this page runs a wipe: BroadcastChannel also delivers to the
 * other channel objects of the same page, and this page's own listener must
 * not reload it halfway through.
 */
let wipingHere = false;

/** Things that hold databases open; the wipe closes them before deleting. */
const closers = new Set<() => Promise<void>>();

export function registerCloser(close: () => Promise<void>): () => void {
	closers.add(close);
	return () => closers.delete(close);
}

/**
 * In every tab: when another tab wipes, close what we hold and go blank.
 * `onHeard` runs first, before anything closes.
 */
export function listenForWipe(onWiped: () => void, onHeard = () => {}): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => {};
	const channel = new BroadcastChannel(WIPE_CHANNEL);
	channel.onmessage = async () => {
		if (wipingHere) return;
		onHeard();
		await within(WIPE_WAIT_MS, Promise.allSettled([...closers].map((close) => close())));
		onWiped();
	};
	return () => channel.close();
}

/**
 * @param knownDatabases names to delete where the browser cannot list its databases
 * @param forgetKeys what clears the keys kept elsewhere (each space's device
 *   signing key), run with the keys-first step
 */
export async function wipeDevice(
	knownDatabases: string[],
	forgetKeys: (() => Promise<void>)[] = []
): Promise<WipeReport> {
	wipingHere = true;
	try {
		return await wipe(knownDatabases, forgetKeys);
	} finally {
		wipingHere = false;
	}
}

async function wipe(
	knownDatabases: string[],
	forgetKeys: (() => Promise<void>)[]
): Promise<WipeReport> {
	// Keys first, all at once and each for a bounded time. The durable copy
	// before localStorage: a crash between them must not leave the copy that
	// startup restores from.
	const [keysCleared] = await Promise.all([
		within(
			WIPE_WAIT_MS,
			clearDeviceDb().then(() => true)
		).catch(() => false),
		...forgetKeys.map((forget) =>
			within(WIPE_WAIT_MS, forget()).catch(() => {
				// Its database is deleted next, and listed as left over if it cannot be.
			})
		)
	]);
	clearStorage();
	if (typeof BroadcastChannel !== 'undefined') {
		const channel = new BroadcastChannel(WIPE_CHANNEL);
		channel.postMessage('wipe');
		channel.close();
	}
	await within(WIPE_WAIT_MS, Promise.allSettled([...closers].map((close) => close())));

	const report: WipeReport = {
		keysCleared: true,
		deleted: [],
		pending: [],
		failed: [],
		caches: [],
		serviceWorkers: 0
	};
	const listed = indexedDB.databases
		? await within(WIPE_WAIT_MS, indexedDB.databases()).catch(() => [])
		: [];
	const names = new Set([
		...(listed ?? []).map((db) => db.name).filter((name): name is string => !!name),
		...knownDatabases,
		DEVICE_FILES_DB,
		DEVICE_DB
	]);
	// All at once: one tab holding one database must not delay the others.
	await Promise.all(
		[...names].map(async (name) => {
			const outcome = await deleteDatabaseWithin(name, WIPE_WAIT_MS);
			report[outcome === 'deleted' ? 'deleted' : outcome === 'blocked' ? 'pending' : 'failed'].push(
				name
			);
		})
	);

	if (typeof caches !== 'undefined') {
		for (const key of await caches.keys()) {
			await caches.delete(key);
			report.caches.push(key);
		}
	}
	const registrations = (await navigator.serviceWorker?.getRegistrations?.()) ?? [];
	for (const registration of registrations) {
		if (await registration.unregister()) report.serviceWorkers += 1;
	}
	// Again: a session closing meanwhile (here or in another tab) may have saved something.
	clearStorage();
	report.keysCleared = !!keysCleared || report.deleted.includes(DEVICE_DB);
	return report;
}

function clearStorage(): void {
	localStorage.clear();
	sessionStorage.clear();
}

/** `work`, or undefined once `ms` have passed without it settling. */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<undefined>(
		(resolve) => (timer = setTimeout(() => resolve(undefined), ms))
	);
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}
