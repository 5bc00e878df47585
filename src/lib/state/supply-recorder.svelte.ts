// Recording a movement from the supplies form: a transfer writes both sides,
// anything else one entry; then a line says what was recorded.
import type { EntryFields } from '../domain/supplies';
import type { SiteId } from '../domain/ids';
import type { SuppliesModel } from './supplies.svelte';

/** What the movement form hands back. */
export type Recorded =
	| { kind: 'entry'; fields: EntryFields }
	| { kind: 'transfer'; from: SiteId; to: SiteId; fields: EntryFields };

export class SupplyRecorder {
	#supplies: Pick<SuppliesModel, 'items' | 'record' | 'transfer'>;

	/** What was recorded last, or '' before anything was. */
	lastRecorded = $state('');

	constructor(supplies: Pick<SuppliesModel, 'items' | 'record' | 'transfer'>) {
		this.#supplies = supplies;
	}

	record(recorded: Recorded): void {
		const { fields } = recorded;
		const item = this.#supplies.items.find((candidate) => candidate.id === fields.item);
		const amount = `${fields.quantity} ${item?.unit ?? ''} ${item?.name ?? ''}`;
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
			this.lastRecorded = `Recorded: transferred ${amount}.`;
		} else {
			this.#supplies.record(fields);
			this.lastRecorded = `Recorded: ${fields.kind} ${amount}.`;
		}
	}
}
