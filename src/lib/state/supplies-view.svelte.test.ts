import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { localDay } from '../domain/stock';
import { SuppliesModel } from './supplies.svelte';
import { SuppliesView } from './supplies-view.svelte';
import { follow } from './follow.test-helper.svelte';

const ana = 'member-ana-0001' as MemberId;

function setUp() {
	const supplies = new SuppliesModel(new Y.Doc(), ana);
	const site = (name: string) =>
		supplies.addSite({ name, kind: 'depot', locationText: '', point: null, notes: '' });
	const depot = site('Depot');
	const shelter = site('Shelter');
	const water = supplies.addItem({ name: 'Water', unit: 'liter', category: 'water' });
	const rice = supplies.addItem({ name: 'Rice', unit: 'kg', category: 'food' });
	let params = $state(new URLSearchParams());
	// Entries are stamped with the real time, so today is the real day.
	const clock = { now: Date.now() };
	const view = new SuppliesView(supplies, () => params, clock);
	return {
		clock,
		supplies,
		view,
		depot,
		shelter,
		water,
		rice,
		go: (query: string) => (params = new URLSearchParams(query))
	};
}

describe('SuppliesView', () => {
	it('follows the page’s site or item from the address, and puts it first in the form', () => {
		const { view, shelter, rice, go } = setUp();
		expect(view.site).toBeUndefined();
		expect(view.formSites.map((site) => site.name)).toEqual(['Depot', 'Shelter']);

		go(`site=${shelter}`);
		expect(view.onlySite).toBe(shelter);
		expect(view.site?.name).toBe('Shelter');
		expect(view.formSites.map((site) => site.name)).toEqual(['Shelter', 'Depot']);

		go(`item=${rice}`);
		expect(view.site).toBeUndefined();
		expect(view.item?.name).toBe('Rice');
		expect(view.formItems.map((item) => item.name)).toEqual(['Rice', 'Water']);
		expect(view.itemById(rice)?.unit).toBe('kg');

		go('site=not%20an%20id!');
		expect(view.onlySite).toBeNull();
	});

	it('adds up today’s movements as they are recorded, for the page’s item', () => {
		const { clock, supplies, view, depot, water, rice, go } = setUp();
		const { seen, stop } = follow(() => view.totals.map((t) => `${t.distributed}/${t.received}`));
		expect(view.today).toBe(localDay(clock.now));
		expect(seen).toEqual([[]]);

		supplies.record({ kind: 'received', item: water, site: depot, quantity: 40 });
		supplies.record({ kind: 'distributed', item: water, site: depot, quantity: 10, households: 3 });
		supplies.record({ kind: 'received', item: rice, site: depot, quantity: 5 });
		flushSync();
		expect(view.totals.map((total) => total.item).sort()).toEqual([water, rice].sort());

		go(`item=${water}`);
		flushSync();
		expect(seen.at(-1)).toEqual(['10/40']);
		expect(view.totals[0]?.households).toBe(3);
		stop();
	});
});
