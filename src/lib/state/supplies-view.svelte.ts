// The supplies page's view: all supplies, or one site's or one item's page
// (from the address's ?site= or ?item=), and what was given out and taken
// in today there.
import { parseId, type ItemId, type SiteId } from '../domain/ids';
import { dayTotals, localDay, type DayTotal } from '../domain/stock';
import type { Item, Site } from '../domain/supplies';
import { Clock } from './clock.svelte';
import type { SuppliesModel } from './supplies.svelte';

type Source = Pick<SuppliesModel, 'sites' | 'items' | 'entries' | 'book' | 'version'>;

export class SuppliesView {
	#supplies: Source;
	#params: () => URLSearchParams;
	#clock: { readonly now: number };

	/** The site whose page this is, by id, or null. */
	readonly onlySite: SiteId | null = $derived.by(() =>
		parseId<'SiteId'>(this.#params().get('site'))
	);
	/** The item whose page this is, by id, or null. */
	readonly onlyItem: ItemId | null = $derived.by(() =>
		parseId<'ItemId'>(this.#params().get('item'))
	);
	readonly site: Site | undefined = $derived.by(() =>
		this.onlySite ? this.#supplies.sites.find((site) => site.id === this.onlySite) : undefined
	);
	readonly item: Item | undefined = $derived.by(() =>
		this.onlyItem ? this.#supplies.items.find((item) => item.id === this.onlyItem) : undefined
	);
	/** Sites for the movement form: this page's site first. */
	readonly formSites: Site[] = $derived.by(() => first(this.#supplies.sites, this.site));
	/** Items for the movement form: this page's item first. */
	readonly formItems: Item[] = $derived.by(() => first(this.#supplies.items, this.item));
	/** Today on this device, as YYYY-MM-DD. */
	readonly today: string = $derived.by(() => localDay(this.#clock.now));
	/** Today's totals per item, for this page's item when it has one. */
	readonly totals: DayTotal[] = $derived.by(() => {
		void this.#supplies.version;
		const book = this.#supplies.book;
		const onlyItem = this.onlyItem;
		return dayTotals(this.#supplies.entries.values(), this.today, (id) => book.isVoided(id)).filter(
			(total) => !onlyItem || total.item === onlyItem
		);
	});

	/** `params` reads the page address's query; `clock` tells the time (reactively). */
	constructor(
		supplies: Source,
		params: () => URLSearchParams,
		clock: { readonly now: number } = new Clock()
	) {
		this.#supplies = supplies;
		this.#params = params;
		this.#clock = clock;
	}

	itemById(id: ItemId): Item | undefined {
		return this.#supplies.items.find((item) => item.id === id);
	}
}

function first<T extends { id: string }>(all: T[], chosen: T | undefined): T[] {
	return chosen ? [chosen, ...all.filter((other) => other.id !== chosen.id)] : all;
}
