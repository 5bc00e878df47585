// Recording a movement from the supplies form: a transfer writes both sides,
// anything else one entry; then the page says what was recorded, in its words.
import type { EntryFields } from '../domain/supplies';
import type { SiteId } from '../domain/ids';
import type { SuppliesModel } from './supplies.svelte';

/** What the movement form hands back. */
export type Recorded =
	| { kind: 'entry'; fields: EntryFields }
	| { kind: 'transfer'; from: SiteId; to: SiteId; fields: EntryFields };

export class SupplyRecorder {
	#supplies: Pick<SuppliesModel, 'record' | 'transfer'>;

	/** What was recorded last, or null before anything was. */
	lastRecorded = $state.raw<Recorded | null>(null);

	constructor(supplies: Pick<SuppliesModel, 'record' | 'transfer'>) {
		this.#supplies = supplies;
	}

	record(recorded: Recorded): void {
		const { fields } = recorded;
		if (recorded.kind === 'transfer') {
			this.#supplies.transfer({
				item: fields.item,
				from: recorded.from,
				to: recorded.to,
				quantity: fields.quantity,
				batch: fields.batch,
				expiresOn: fields.expiresOn,
				note: fields.note
			});
		} else {
			this.#supplies.record(fields);
		}
		this.lastRecorded = recorded;
	}
}
