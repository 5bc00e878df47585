// The asset list's view of the assets: search, kind and tag filters, the
// order, and "my position" for ordering by distance — from the device's GPS
// or typed in — with a message a person can act on when there is none.
import {
	arrangeAssets,
	tagsIn,
	type Arranged,
	type AssetKind,
	type AssetOrder
} from '../domain/assets';
import { parsePoint, type Point } from '../domain/geo';
import { currentPosition } from '../device/geolocation';
import type { AssetsModel } from './assets.svelte';

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
	locationProblem = $state('');
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
		const parsed = parsePoint(this.typedPosition);
		if (!parsed.ok || !parsed.point) {
			this.locationProblem = parsed.ok
				? 'Type where you are as latitude, longitude.'
				: parsed.message;
			return;
		}
		this.locationProblem = '';
		this.me = parsed.point;
		this.order = 'distance';
	}

	/** Sort from where the device is. */
	async locateMe(): Promise<void> {
		this.isLocating = true;
		this.locationProblem = '';
		try {
			this.me = await this.#locate();
			this.order = 'distance';
		} catch (failure) {
			this.locationProblem = failure instanceof Error ? failure.message : String(failure);
		} finally {
			this.isLocating = false;
		}
	}
}
