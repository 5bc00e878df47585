// How a space is connected and saved, for the sync indicator: peers and
// signaling servers, whether this device's edits are on disk, and the
// pause/resume switch.
import type { SpaceSession } from '../sync/session';
import { NetworkStatus, type NetworkSnapshot } from '../sync/network-status';
import type { SaveState } from '../sync/save-tracker';
import { destroyWithDoc, Followed } from './reactive';

export type { NetworkSnapshot, SaveState };

export class ConnectionModel {
	#session: SpaceSession;
	#network: NetworkStatus;
	#networkReading: Followed<NetworkSnapshot>;
	#saveReading: Followed<SaveState>;

	constructor(session: SpaceSession) {
		this.#session = session;
		this.#network = new NetworkStatus(session.provider);
		this.#networkReading = new Followed(
			(listener) => this.#network.subscribe(listener),
			() => this.#network.snapshot
		);
		this.#saveReading = new Followed(
			(listener) => session.saves.subscribe(listener),
			() => session.saves.state
		);
		destroyWithDoc(session.doc, () => {
			this.#networkReading.destroy();
			this.#saveReading.destroy();
			this.#network.destroy();
		});
	}

	get network(): NetworkSnapshot {
		return this.#networkReading.current;
	}
	get saveState(): SaveState {
		return this.#saveReading.current;
	}
	/** The signaling servers this space looks for peers through. */
	get signalingUrls(): readonly string[] {
		return this.#session.signalingUrls;
	}

	/** Pause or resume network sync (saves battery; edits stay on the device). */
	setSyncing(on: boolean): void {
		this.#session.setSyncing(on);
	}
}
