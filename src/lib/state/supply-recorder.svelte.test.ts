import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import type { EntryFields } from '../domain/supplies';
import { SuppliesModel } from './supplies.svelte';
import { SupplyRecorder } from './supply-recorder.svelte';

const ana = 'member-ana-0001' as MemberId;

function setUp() {
	const supplies = new SuppliesModel(new Y.Doc(), ana);
	const depot = supplies.addSite({
		name: 'Depot',
		kind: 'depot',
		locationText: '',
		point: null,
		notes: ''
	});
	const shelter = supplies.addSite({
		name: 'Shelter',
		kind: 'shelter',
		locationText: '',
		point: null,
		notes: ''
	});
	const water = supplies.addItem({ name: 'Water', unit: 'liter', category: 'water' });
	const fields: EntryFields = { kind: 'received', item: water, site: depot, quantity: 40 };
	return { supplies, recorder: new SupplyRecorder(supplies), depot, shelter, fields };
}

describe('SupplyRecorder', () => {
	it('records one entry and keeps what it was', () => {
		const { supplies, recorder, fields } = setUp();
		expect(recorder.lastRecorded).toBeNull();
		recorder.record({ kind: 'entry', fields });
		expect(recorder.lastRecorded).toEqual({ kind: 'entry', fields });
		expect([...supplies.entries.values()].map((entry) => entry.kind)).toEqual(['received']);
	});

	it('records both sides of a transfer', () => {
		const { supplies, recorder, depot, shelter, fields } = setUp();
		recorder.record({
			kind: 'transfer',
			from: depot,
			to: shelter,
			fields: { ...fields, quantity: 5 }
		});
		expect(recorder.lastRecorded).toEqual({
			kind: 'transfer',
			from: depot,
			to: shelter,
			fields: { ...fields, quantity: 5 }
		});
		const sides = [...supplies.entries.values()].map((entry) => `${entry.kind}@${entry.site}`);
		expect(sides.sort()).toEqual([`transfer-in@${shelter}`, `transfer-out@${depot}`].sort());
	});
});
