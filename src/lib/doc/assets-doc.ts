// The asset map's part of a space's Y.Doc, and typed reads and writes
// (root names live in roots.ts).
//
//   assets:        Y.Map  assetId   -> Y.Map of fields (field-level merge)
//   assetLinks:    Y.Map  linkId    -> plain JSON { from, to, relation, ... }
//                                      (never edited: made, or deleted)
//   baseMaps:      Y.Map  baseMapId -> plain JSON { name, width, height, mime, ... }
//   baseMapImages: Y.Map  baseMapId -> Uint8Array (the image file itself)
//
// An image is kept apart from its description so listing maps never touches
// megabytes. It travels as one Yjs update like any other edit, through the
// same chunked, back-pressured transport.
import * as Y from 'yjs';
import { newId, type AssetId, type BaseMapId, type LinkId, type MemberId } from '../domain/ids';
import {
	parseAsset,
	parseBaseMap,
	parseLink,
	type Asset,
	type AssetFields,
	type AssetLink,
	type BaseMap,
	type Relation
} from '../domain/assets';
import type { Read } from '../domain/read';
import { stampVersion } from '../domain/versions';
import { newRecordMap, readRecord, setChangedFields } from './records';
import { ORIGINS, rootMap } from './roots';

const LOCAL_ORIGIN = ORIGINS.local;

export const assetsMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'assets');
export const assetLinksMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'assetLinks');
export const baseMapsMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'baseMaps');
export const baseMapImagesMap = (doc: Y.Doc): Y.Map<unknown> => rootMap(doc, 'baseMapImages');

export function readAsset(doc: Y.Doc, id: string): Read<Asset> | null {
	const assets = assetsMap(doc);
	return assets.has(id) ? readRecord(id, assets.get(id), parseAsset) : null;
}

export function readAllAssets(doc: Y.Doc): Map<string, Read<Asset>> {
	const records = new Map<string, Read<Asset>>();
	assetsMap(doc).forEach((value, id) => records.set(id, readRecord(id, value, parseAsset)));
	return records;
}

export function readLinks(doc: Y.Doc): Read<AssetLink>[] {
	const links: Read<AssetLink>[] = [];
	assetLinksMap(doc).forEach((value, id) => links.push(readRecord(id, value, parseLink)));
	return links;
}

export function readBaseMaps(doc: Y.Doc): Read<BaseMap>[] {
	const maps: Read<BaseMap>[] = [];
	baseMapsMap(doc).forEach((value, id) => maps.push(readRecord(id, value, parseBaseMap)));
	return maps;
}

/** The image of a base map, or null while it has not arrived (or is not an image). */
export function baseMapImage(doc: Y.Doc, id: BaseMapId): Uint8Array | null {
	const bytes = baseMapImagesMap(doc).get(id);
	return bytes instanceof Uint8Array ? bytes : null;
}

export function createAsset(doc: Y.Doc, fields: AssetFields, by: MemberId, now: number): AssetId {
	const id = newId<'AssetId'>();
	doc.transact(() => {
		assetsMap(doc).set(
			id,
			newRecordMap('asset', fields, { createdBy: by, createdAt: now, updatedAt: now })
		);
	}, LOCAL_ORIGIN);
	return id;
}

/** Write only the fields that changed, so concurrent edits of other fields merge. */
export function updateAsset(
	doc: Y.Doc,
	id: AssetId,
	fields: Partial<AssetFields>,
	now: number
): boolean {
	const asset = assetsMap(doc).get(id);
	if (!(asset instanceof Y.Map)) return false;
	doc.transact(() => {
		if (setChangedFields(asset, fields)) asset.set('updatedAt', now);
	}, LOCAL_ORIGIN);
	return true;
}

/** Delete an asset and, in the same transaction, every link to or from it. */
export function deleteAsset(doc: Y.Doc, id: AssetId): void {
	doc.transact(() => {
		assetsMap(doc).delete(id);
		const links = assetLinksMap(doc);
		links.forEach((value, linkId) => {
			const link = value as { from?: unknown; to?: unknown } | null;
			if (link?.from === id || link?.to === id) links.delete(linkId);
		});
	}, LOCAL_ORIGIN);
}

export function createLink(
	doc: Y.Doc,
	from: AssetId,
	relation: Relation,
	to: AssetId,
	by: MemberId,
	now: number
): LinkId {
	const id = newId<'LinkId'>();
	doc.transact(
		() =>
			assetLinksMap(doc).set(
				id,
				stampVersion('assetLink', { from, to, relation, createdBy: by, createdAt: now })
			),
		LOCAL_ORIGIN
	);
	return id;
}

export function deleteLink(doc: Y.Doc, id: LinkId): void {
	doc.transact(() => assetLinksMap(doc).delete(id), LOCAL_ORIGIN);
}

export function addBaseMap(
	doc: Y.Doc,
	description: Omit<BaseMap, 'id' | 'createdBy' | 'createdAt'>,
	image: Uint8Array,
	by: MemberId,
	now: number
): BaseMapId {
	const id = newId<'BaseMapId'>();
	doc.transact(() => {
		baseMapImagesMap(doc).set(id, image);
		baseMapsMap(doc).set(
			id,
			stampVersion('baseMap', { ...description, createdBy: by, createdAt: now })
		);
	}, LOCAL_ORIGIN);
	return id;
}

/** Remove a base map and its image. Pins placed on it keep their place, shown as on a removed map. */
export function removeBaseMap(doc: Y.Doc, id: BaseMapId): void {
	doc.transact(() => {
		baseMapsMap(doc).delete(id);
		baseMapImagesMap(doc).delete(id);
	}, LOCAL_ORIGIN);
}

/**
 * Merge an inventory read from a file (see asset-export.ts). Assets keep
 * their ids, so importing the same file twice adds nothing the second time;
 * an asset already here is left as it is (edits here win over the file).
 * Links come in when both their ends are here and their id is new.
 */
export function importInventory(
	doc: Y.Doc,
	assets: readonly Asset[],
	links: readonly AssetLink[]
): { assets: number; links: number } {
	const added = { assets: 0, links: 0 };
	doc.transact(() => {
		const assetRecords = assetsMap(doc);
		for (const { id, ...fields } of assets) {
			if (assetRecords.has(id)) continue;
			assetRecords.set(id, newRecordMap('asset', fields));
			added.assets += 1;
		}
		const linkRecords = assetLinksMap(doc);
		for (const { id, ...link } of links) {
			if (linkRecords.has(id) || !assetRecords.has(link.from) || !assetRecords.has(link.to))
				continue;
			linkRecords.set(id, stampVersion('assetLink', link));
			added.links += 1;
		}
	}, ORIGINS.fileImport);
	return added;
}
