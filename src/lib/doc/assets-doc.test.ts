import { assetFields } from '../../../tests/support/assets';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { liveLinks, type Asset, type AssetLink } from '../domain/assets';
import type { MemberId } from '../domain/ids';
import {
	addBaseMap,
	baseMapImage,
	createAsset,
	createLink,
	deleteAsset,
	importInventory,
	readAllAssets,
	readBaseMaps,
	readLinks,
	updateAsset
} from './assets-doc';

const ANA = 'member-ana-0001' as MemberId;
const BEN = 'member-ben-0001' as MemberId;

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function assets(doc: Y.Doc): Map<string, Asset> {
	const valid = new Map<string, Asset>();
	for (const [id, read] of readAllAssets(doc)) if (read.ok) valid.set(id, read.value);
	return valid;
}

const links = (doc: Y.Doc): AssetLink[] =>
	readLinks(doc).flatMap((read) => (read.ok ? [read.value] : []));

const fields = (name: string) => assetFields({ kind: 'equipment', name });

describe('assets in the doc', () => {
	it('merges concurrent edits of different fields', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const id = createAsset(a, fields('Generator'), ANA, 1);
		sync(a, b);
		updateAsset(a, id, { availability: '24/7' }, 2);
		updateAsset(
			b,
			id,
			{ tags: ['power'], place: { kind: 'geo', lat: 1, lon: 2, source: 'map' } },
			3
		);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(assets(doc).get(id)).toMatchObject({
				availability: '24/7',
				tags: ['power'],
				place: { kind: 'geo', lat: 1, lon: 2 }
			});
		}
	});

	it('leaves no link to show when one device deletes an asset another is linking to', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const truck = createAsset(a, fields('Truck'), ANA, 1);
		const church = createAsset(a, fields('Church'), ANA, 1);
		const kept = createAsset(a, fields('School'), ANA, 1);
		createLink(a, church, 'runs', kept, ANA, 1);
		sync(a, b);
		deleteAsset(a, truck);
		createLink(b, church, 'can-supply', truck, BEN, 2);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(assets(doc).has(truck)).toBe(false);
			// The late link is in the doc, but never shown.
			expect(links(doc)).toHaveLength(2);
			expect(liveLinks(links(doc), assets(doc)).map((l) => l.relation)).toEqual(['runs']);
		}
		// Deleting an asset takes its known links with it.
		deleteAsset(b, kept);
		sync(a, b);
		expect(links(a).map((l) => l.relation)).toEqual(['can-supply']);
	});

	it('carries a base map image to another doc byte for byte', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const image = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 31) % 251);
		const id = addBaseMap(
			a,
			{ name: 'Block 14', width: 2048, height: 1536, mime: 'image/jpeg' },
			image,
			ANA,
			1
		);
		sync(a, b);
		expect(readBaseMaps(b)).toEqual([
			{
				ok: true,
				value: {
					id,
					name: 'Block 14',
					width: 2048,
					height: 1536,
					mime: 'image/jpeg',
					createdBy: ANA,
					createdAt: 1
				}
			}
		]);
		expect(Buffer.from(baseMapImage(b, id) ?? []).equals(image)).toBe(true);
	});

	it('imports an inventory once, keeping ids, edits made here, and only links whose ends exist', () => {
		const source = new Y.Doc();
		const truck = createAsset(source, fields('Truck'), ANA, 1);
		const church = createAsset(source, fields('Church'), ANA, 1);
		createLink(source, church, 'can-supply', truck, ANA, 1);
		const here = new Y.Doc();
		Y.applyUpdate(here, Y.encodeStateAsUpdate(source));
		updateAsset(here, truck, { availability: 'mornings' }, 2);
		const orphan = {
			...links(source)[0]!,
			id: 'link-orphan-0001' as never,
			to: 'asset-gone-0001' as never
		};

		const fresh = new Y.Doc();
		expect(
			importInventory(fresh, [...assets(source).values()], [...links(source), orphan])
		).toEqual({
			assets: 2,
			links: 1
		});
		expect(importInventory(fresh, [...assets(source).values()], links(source))).toEqual({
			assets: 0,
			links: 0
		});
		expect(assets(fresh)).toEqual(assets(source));
		expect(importInventory(here, [...assets(source).values()], links(source)).assets).toBe(0);
		expect(assets(here).get(truck)?.availability).toBe('mornings');
	});
});
