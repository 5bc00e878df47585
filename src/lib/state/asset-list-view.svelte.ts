// The asset list's view of the assets: search, kind and tag filters, the
// order, and "my position" for ordering by distance — from the device's GPS,
// typed in or picked on a map — with the reason there is none, for the view
// to say.
import {
	arrangeAssets,
	tagsIn,
	type Arranged,
	type Asset,
	type AssetKind,
	type AssetOrder
} from '../domain/assets';
import type { Point } from '../domain/geo';
import { readPoint } from '../domain/typed-point';
import { currentPosition, LocationError, type LocationProblem } from '../device/geolocation';
import { assetsOnMap } from '../map/asset-pins';
import type { AssetsModel } from './assets.svelte';

/** Why there is no position to sort from: the GPS's reason, or what is wrong with the typed one. */
export type PositionProblem = LocationProblem | 'not-a-point' | 'off-the-earth' | 'nothing-typed';

export class AssetListView {
	#model: Pick<AssetsModel, 'assets'>;
	#locate: () => Promise<Point>;

	search = $state('');
	kind = $state<AssetKind | ''>('');
	tag = $state('');
	order = $state<AssetOrder>('name');
	/** Where "nearest to me" measures from, once known. */
	me = $state<Point | null>(null);
	isLocating = $state(false);
	locationProblem = $state<PositionProblem | null>(null);
	typedPosition = $state('');

	/** The assets that pass the filters, in the chosen order. */
	readonly arranged: Arranged[] = $derived.by(() =>
		arrangeAssets(
			this.#model.assets.values(),
			{ search: this.search, kinds: this.kind ? [this.kind] : [], tag: this.tag },
			this.order,
			this.me
		)
	);
	/** Every tag in use, most used first, to filter by. */
	readonly tags: string[] = $derived.by(() => tagsIn(this.#model.assets.values()));
	/** The assets that are points on the earth, to show where one picks a position. */
	readonly onEarth: Asset[] = $derived.by(() => assetsOnMap(this.#model.assets.values(), 'geo'));

	/** `locate` finds the device's position; the GPS unless a test says otherwise. */
	constructor(model: Pick<AssetsModel, 'assets'>, locate: () => Promise<Point> = currentPosition) {
		this.#model = model;
		this.#locate = locate;
	}

	/** All assets, filtered or not. */
	get total(): number {
		return this.#model.assets.size;
	}

	/** Ordered by distance with nowhere to measure from, so by name for now. */
	get isWaitingForPosition(): boolean {
		return this.order === 'distance' && !this.me;
	}

	/** Sort from the position typed in `typedPosition`. */
	useTypedPosition(): void {
		const typed = readPoint(this.typedPosition);
		if (!typed.ok || !typed.point) {
			this.locationProblem = typed.ok ? 'nothing-typed' : typed.problem;
			return;
		}
		this.locationProblem = null;
		this.me = typed.point;
		this.order = 'distance';
	}

	/** Sort from a point picked on a map; it shows in the typed position too. */
	useChosenPosition(point: Point): void {
		this.typedPosition = `${point.lat}, ${point.lon}`;
		this.locationProblem = null;
		this.me = point;
		this.order = 'distance';
	}

	/** Sort from where the device is. */
	async locateMe(): Promise<void> {
		this.isLocating = true;
		this.locationProblem = null;
		try {
			this.me = await this.#locate();
			this.order = 'distance';
		} catch (failure) {
			this.locationProblem = failure instanceof LocationError ? failure.problem : 'unavailable';
		} finally {
			this.isLocating = false;
		}
	}
}
