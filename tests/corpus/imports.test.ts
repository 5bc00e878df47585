// Runs the inventory-file corpus (imports.cases.ts) through what the assets
// page's import does (AssetsModel.importGeoJson): read the file, then merge.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asset } from '../support/assets';
import {
	assetsFromGeoJson,
	assetsToGeoJson,
	InventoryFileError
} from '../../src/lib/domain/asset-export';
import { importInventory, readAllAssets } from '../../src/lib/doc/assets-doc';
import { importCases, type Feature } from './imports.cases';

const exported = JSON.parse(
	assetsToGeoJson([asset('asset-corpus-0001', { name: 'Church' })], [], { includeContact: false })
) as { features: Feature[] };
const good = () => structuredClone(exported.features[0]) as Feature;

function spaceWithOneAsset(): Y.Doc {
	const doc = new Y.Doc();
	const { id, ...here } = asset('asset-corpus-here', { name: 'Clinic' });
	importInventory(doc, [{ id, ...here }], []);
	return doc;
}

describe('bad inventory files', () => {
	it.each(importCases)('%s', (_label, make, expected) => {
		const doc = spaceWithOneAsset();
		const before = Buffer.from(Y.encodeStateAsUpdate(doc));
		const text = make(good);
		if (typeof expected === 'string') {
			let failure: unknown = null;
			try {
				assetsFromGeoJson(text);
			} catch (error) {
				failure = error;
			}
			expect(failure).toBeInstanceOf(InventoryFileError);
			expect((failure as InventoryFileError).problem).toBe(expected);
			expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(before)).toBe(true);
			return;
		}
		const inventory = assetsFromGeoJson(text);
		const added = importInventory(doc, inventory.assets, inventory.links);
		expect(added.assets).toBe(expected.added);
		expect(inventory.problems.map((problem) => problem.kind)).toEqual(expected.problems);
		const assets = readAllAssets(doc);
		expect(assets.size).toBe(1 + expected.added);
		// What was here stays as it was (edits here win over a file).
		const here = assets.get('asset-corpus-here');
		expect(here?.ok && here.value.name).toBe('Clinic');
		for (const read of assets.values()) expect(read.ok).toBe(true);
	});

	it('the unspoiled file imports (so the cases above test what they say)', () => {
		const doc = spaceWithOneAsset();
		const inventory = assetsFromGeoJson(
			JSON.stringify({ type: 'FeatureCollection', features: [good()] })
		);
		expect(importInventory(doc, inventory.assets, inventory.links)).toEqual({
			assets: 1,
			links: 0
		});
	});
});
