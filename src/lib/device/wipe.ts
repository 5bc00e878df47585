// "Wipe this device": remove every space, key, cached page and setting the
// app keeps in this browser, in one action. A seized phone should give
// nothing away. Open sessions are closed first (IndexedDB will not delete a
// database that is still open), and other tabs of the app are told to close
// theirs over a BroadcastChannel.
//
// It removes only what belongs to this origin, which is all the app's.
import { DEVICE_FILES_DB } from './device-files';

export const WIPE_CHANNEL = 'barnraise:wipe';

export interface WipeReport {
	databases: string[];
	caches: string[];
	serviceWorkers: number;
	blocked: string[];
}

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

/** In every tab: when another tab wipes, close what we hold and go blank. */
export function listenForWipe(onWiped: () => void): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => {};
	const channel = new BroadcastChannel(WIPE_CHANNEL);
	channel.onmessage = async () => {
		if (wipingHere) return;
		await Promise.allSettled([...closers].map((close) => close()));
		onWiped();
	};
	return () => channel.close();
}

export function deleteDatabase(name: string): Promise<'deleted' | 'blocked'> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		let blocked = false;
		request.onsuccess = () => resolve(blocked ? 'blocked' : 'deleted');
		request.onerror = () => reject(request.error);
		// Another connection is still open; deletion completes when it closes.
		request.onblocked = () => {
			blocked = true;
		};
	});
}

/**
 * @param knownDatabases names to delete where the browser cannot list its databases
 */
export async function wipeDevice(knownDatabases: string[]): Promise<WipeReport> {
	wipingHere = true;
	try {
		return await wipe(knownDatabases);
	} finally {
		wipingHere = false;
	}
}

async function wipe(knownDatabases: string[]): Promise<WipeReport> {
	if (typeof BroadcastChannel !== 'undefined') {
		const channel = new BroadcastChannel(WIPE_CHANNEL);
		channel.postMessage('wipe');
		channel.close();
	}
	await Promise.allSettled([...closers].map((close) => close()));

	const report: WipeReport = { databases: [], caches: [], serviceWorkers: 0, blocked: [] };

	const listed = indexedDB.databases ? await indexedDB.databases() : [];
	const names = new Set([
		...listed.map((db) => db.name).filter((name): name is string => !!name),
		...knownDatabases,
		DEVICE_FILES_DB
	]);
	for (const name of names) {
		const outcome = await deleteDatabase(name);
		report.databases.push(name);
		if (outcome === 'blocked') report.blocked.push(name);
	}

	localStorage.clear();
	sessionStorage.clear();

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
	return report;
}
