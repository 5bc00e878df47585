// Whether the browser promised to keep this device's data (persistent
// storage), asked once per start. Browsers may evict "best-effort" storage
// under pressure; the UI says so plainly.
class StorageStatus {
	persisted = $state<boolean | null>(null);

	async requestPersistence(): Promise<void> {
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
}

export const storage = new StorageStatus();
