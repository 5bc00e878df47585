// The links list, for views: every device this space syncs with or has
// synced with, per transport, with when each last synced, and the last
// bundle files made and merged. Remembered per space on this device.
import {
	LinkLog,
	linkRows,
	localLinkStore,
	type FileEvent,
	type LinkRow,
	type Transport
} from '../sync/link-log';
import { LinkWatch } from '../sync/link-watch';
import type { SpaceSession } from '../sync/session';
import type { PairingsModel } from './pairings.svelte';
import { destroyWithDoc } from './reactive';
import { createNotifier } from './subscribers';

export type { FileEvent, LinkRow, Transport };

export class LinksModel {
	#log: LinkLog;
	#watch: LinkWatch;
	#notifier = createNotifier();
	#pairings: () => PairingsModel;

	/** `pairings` is asked for lazily: the two models are made together. */
	constructor(session: SpaceSession, pairings: () => PairingsModel) {
		this.#pairings = pairings;
		this.#log = new LinkLog(localLinkStore(session.spaceId));
		this.#watch = new LinkWatch(session.provider, this.#log, () => this.#notifier.notify());
		// Entries a link sent that did not verify (forged, altered, out of order): told on its row.
		const stopHearing = session.signed.listen((event) => {
			if (event.type === 'misbehaved' && event.refusedEntries)
				this.#watch.refusedOn(event.link, { kind: 'refused-entries' });
		});
		destroyWithDoc(session.doc, () => {
			stopHearing();
			this.#watch.destroy();
			this.#log.destroy();
		});
	}

	/** Newest first: open links, then devices known from before, then files. Reactive. */
	get rows(): LinkRow[] {
		this.#notifier.track();
		return linkRows([...this.#watch.live(), ...this.#pairings().openLinks], this.#log);
	}

	/** A paired device (known by its member id) synced at `at`. */
	notePairing(member: string, at: number): void {
		this.#log.heard('pairing', member, true, undefined, at);
	}

	/** A bundle file was made (`detail`: its name) or merged (`detail`: "new" or "nothing-new") here. */
	noteFile(what: 'exported' | 'imported', detail: string): void {
		this.#log.heard('file', what, true, detail);
		this.#notifier.notify();
	}
}
