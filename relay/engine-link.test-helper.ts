// In-memory links between test devices (network.test-helper.ts) and a
// relay's engine, for the relay's unit tests.
import type { SyncEngine } from '../src/lib/sync/v2/engine';
import type { TestDevice, TestNetwork } from '../src/lib/sync/v2/network.test-helper';

/** Two ordered queues between a test device and the relay's engine. */
export class RelayLink {
	readonly toRelay: Uint8Array[] = [];
	readonly toDevice: Uint8Array[] = [];

	constructor(
		readonly device: TestDevice,
		readonly relay: SyncEngine
	) {
		device.engine.addLink({ id: 'relay', send: (bytes) => this.toRelay.push(bytes) });
		relay.addLink({ id: device.name, send: (bytes) => this.toDevice.push(bytes) });
	}

	/** Deliver one message; false when nothing is in flight. */
	step(): boolean {
		const toRelay = this.toRelay.shift();
		if (toRelay) {
			this.relay.receive(this.device.name, toRelay);
			return true;
		}
		const toDevice = this.toDevice.shift();
		if (!toDevice) return false;
		this.device.engine.receive('relay', toDevice);
		return true;
	}
}

/** Deliver everything in flight on the links and the network, and run its delayed tasks. */
export function settle(network: TestNetwork, links: RelayLink[]): void {
	for (let steps = 0; ; steps++) {
		if (steps > 100_000) throw new Error('never settled');
		if (links.some((link) => link.step())) continue;
		if (!network.step()) return;
	}
}
