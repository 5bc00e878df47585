// Putting assets on the asset map, one tap at a time: choose what to place
// (an existing asset, or a new one), tap the map, and either the asset moves
// there or the form for the new asset opens with that spot filled in.
import type { AssetFields, AssetPlace } from '../domain/assets';
import type { AssetId } from '../domain/ids';
import type { AssetsModel } from './assets.svelte';

/** What a tap on the map will place, or null when a tap only selects. */
export type Placing = { what: 'existing'; id: AssetId } | { what: 'new' } | null;

export class AssetPlacing {
	#model: Pick<AssetsModel, 'assets' | 'add' | 'update'>;
	#ondone: (id: AssetId, message: string) => void;

	placing = $state<Placing>(null);
	/** Where the new asset goes, while its form is open. */
	newPlace = $state<AssetPlace | null>(null);

	/** `ondone` hears the asset that was placed or added, with a line saying so. */
	constructor(
		model: Pick<AssetsModel, 'assets' | 'add' | 'update'>,
		ondone: (id: AssetId, message: string) => void
	) {
		this.#model = model;
		this.#ondone = ondone;
	}

	get isPlacing(): boolean {
		return this.placing !== null;
	}

	/** What the person is asked to tap for. */
	get target(): string {
		const placing = this.placing;
		if (!placing) return '';
		if (placing.what === 'new') return 'the new asset';
		return this.#model.assets.get(placing.id)?.name ?? 'it';
	}

	placeExisting(id: AssetId): void {
		this.placing = { what: 'existing', id };
	}
	placeNew(): void {
		this.placing = { what: 'new' };
	}
	cancel(): void {
		this.placing = null;
	}

	/** The map was tapped at `where`, on the map called `mapName`. */
	putAt(where: AssetPlace, mapName: string): void {
		const placing = this.placing;
		if (!placing) return;
		if (placing.what === 'existing') {
			this.#model.update(placing.id, { place: where });
			const name = this.#model.assets.get(placing.id)?.name ?? 'the asset';
			this.#ondone(placing.id, `Pinned ${name} on ${mapName}.`);
		} else {
			this.newPlace = where;
		}
		this.placing = null;
	}

	/** Save the new asset from its form. */
	add(fields: AssetFields): void {
		const id = this.#model.add(fields);
		this.newPlace = null;
		this.#ondone(id, `Added ${fields.name}.`);
	}
	cancelNew(): void {
		this.newPlace = null;
	}
}
