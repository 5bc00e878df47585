// How safe this device's data is: whether the browser promised to keep it
// (persistent storage, asked once per start) and how much room it uses.
// Browsers may evict "best-effort" storage under pressure; the UI says so,
// until the person closes that notice on this device.
import { loadDismissed, saveDismissed } from '../device/device-store';

const NOT_PROMISED_NOTICE = 'storage-not-promised';

class StorageStatus {
	persisted = $state<boolean | null>(null);
	#dismissed = $state(false);

	/** Whether to warn that the browser may delete this device's data. */
	get warnNotPromised(): boolean {
		return this.persisted === false && !this.#dismissed;
	}

	/** The person has read the warning: do not show it again on this device. */
	dismissNotPromised(): void {
		this.#dismissed = true;
		saveDismissed([...loadDismissed(), NOT_PROMISED_NOTICE]);
	}
	usage = $state<number | null>(null);
	quota = $state<number | null>(null);

	async requestPersistence(): Promise<void> {
		this.#dismissed = loadDismissed().includes(NOT_PROMISED_NOTICE);
		const manager = globalThis.navigator?.storage;
		if (!manager?.persist) {
			this.persisted = false;
			return;
		}
		try {
			this.persisted = (await manager.persisted()) || (await manager.persist());
		} catch {
			this.persisted = false;
		}
	}

	async refreshEstimate(): Promise<void> {
		const manager = globalThis.navigator?.storage;
		if (!manager?.estimate) return;
		try {
			const { usage, quota } = await manager.estimate();
			this.usage = usage ?? null;
			this.quota = quota ?? null;
		} catch {
			this.usage = null;
			this.quota = null;
		}
	}
}

export const storage = new StorageStatus();

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
