// Putting assets on the asset map, one tap at a time: choose what to place
// (an existing asset, or a new one), tap the map, and either the asset moves
// there or the form for the new asset opens with that spot filled in.
import type { AssetFields, AssetPlace } from '../domain/assets';
import type { AssetId } from '../domain/ids';
import type { AssetsModel } from './assets.svelte';

/** What a tap on the map will place, or null when a tap only selects. */
export type Placing = { what: 'existing'; id: AssetId } | { what: 'new' } | null;

/** What the person is asked to tap for: the new asset, or an existing one by name. */
export type PlacingTarget = { what: 'new' } | { what: 'existing'; name: string };

/**
 * What was done, for the view to say: an asset pinned on a picture map (by
 * its name) or on the earth (`map` null), or a new asset added.
 */
export type PlacingDone =
	{ what: 'pinned'; name: string; map: string | null } | { what: 'added'; name: string };

export class AssetPlacing {
	#model: Pick<AssetsModel, 'assets' | 'add' | 'update'>;
	#ondone: (id: AssetId, done: PlacingDone) => void;

	placing = $state<Placing>(null);
	/** Where the new asset goes, while its form is open. */
	newPlace = $state<AssetPlace | null>(null);

	/** `ondone` hears the asset that was placed or added, and what was done. */
	constructor(
		model: Pick<AssetsModel, 'assets' | 'add' | 'update'>,
		ondone: (id: AssetId, done: PlacingDone) => void
	) {
		this.#model = model;
		this.#ondone = ondone;
	}

	get isPlacing(): boolean {
		return this.placing !== null;
	}

	/** What the person is asked to tap for, or null when not placing. */
	get target(): PlacingTarget | null {
		const placing = this.placing;
		if (!placing) return null;
		if (placing.what === 'new') return { what: 'new' };
		return { what: 'existing', name: this.#model.assets.get(placing.id)?.name ?? '' };
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

	/** The map was tapped at `where`, on the picture map called `mapName` (null: the earth). */
	putAt(where: AssetPlace, mapName: string | null): void {
		const placing = this.placing;
		if (!placing) return;
		if (placing.what === 'existing') {
			this.#model.update(placing.id, { place: where });
			const name = this.#model.assets.get(placing.id)?.name ?? '';
			this.#ondone(placing.id, { what: 'pinned', name, map: mapName });
		} else {
			this.newPlace = where;
		}
		this.placing = null;
	}

	/** Save the new asset from its form. */
	add(fields: AssetFields): void {
		const id = this.#model.add(fields);
		this.newPlace = null;
		this.#ondone(id, { what: 'added', name: fields.name });
	}
	cancelNew(): void {
		this.newPlace = null;
	}
}
