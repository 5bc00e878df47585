import { assetFields } from '../../../tests/support/assets';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { AssetImport, MAX_INVENTORY_BYTES } from './asset-import.svelte';
import { AssetsModel } from './assets.svelte';

const ana = 'member-ana-0001' as MemberId;
const file = (name: string, text: string) => ({ name, size: text.length, text: async () => text });

describe('AssetImport', () => {
	it('brings in assets exported from another space and says how many', async () => {
		const there = new AssetsModel(new Y.Doc(), ana);
		there.add(assetFields({ kind: 'place', name: 'Church' }));
		const here = new AssetsModel(new Y.Doc(), ana);
		const importer = new AssetImport(here);
		expect(importer.outcome).toBeNull();

		await importer.importFile(file('church.geojson', there.exportGeoJson(false)));
		expect(importer.outcome).toEqual({
			ok: true,
			file: 'church.geojson',
			assets: 1,
			links: 0,
			problems: []
		});
		expect([...here.assets.values()].map((asset) => asset.name)).toEqual(['Church']);
	});

	it('changes nothing and says why when the file is not an export', async () => {
		const here = new AssetsModel(new Y.Doc(), ana);
		const importer = new AssetImport(here);
		await importer.importFile(file('notes.txt', 'not json'));
		expect(importer.outcome).toEqual({ ok: false, problem: 'not-json', detail: '' });
		expect(here.assets.size).toBe(0);
	});

	it('refuses a file too large for any inventory before reading it', async () => {
		const here = new AssetsModel(new Y.Doc(), ana);
		const importer = new AssetImport(here);
		let reads = 0;
		await importer.importFile({
			name: 'holiday.mp4',
			size: 3 * 1024 ** 3,
			text: async () => {
				reads += 1;
				return '';
			}
		});
		expect(reads).toBe(0);
		expect(importer.outcome).toEqual({
			ok: false,
			problem: 'too-large',
			detail: '',
			max: MAX_INVENTORY_BYTES
		});
		expect(here.assets.size).toBe(0);
	});
});
