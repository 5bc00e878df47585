// The asset map for views: assets (re-read incrementally), links, image base
// maps and their pictures, and the actions a member can take.
import type * as Y from 'yjs';
import {
	assetsFromGeoJson,
	assetsToCsv,
	assetsToGeoJson,
	type CsvColumn,
	type InventoryProblem
} from '../domain/asset-export';
import type { Asset, AssetFields, AssetLink, BaseMap, Relation } from '../domain/assets';
import type { AssetId, BaseMapId, LinkId } from '../domain/ids';
import { liveLinks } from '../domain/assets';
import type { MemberId } from '../domain/ids';
import type { Read } from '../domain/read';
import {
	addBaseMap,
	assetLinksMap,
	assetsMap,
	baseMapImage,
	baseMapImagesMap,
	baseMapsMap,
	createAsset,
	createLink,
	deleteAsset,
	deleteLink,
	importInventory,
	readAsset,
	readBaseMaps,
	readLinks,
	removeBaseMap,
	updateAsset
} from '../doc/assets-doc';
import { prepareBaseMapImage } from '../map/base-map-image';
import { destroyWithDoc } from './reactive';
import { RecordReads } from './record-reads';
import { createNotifier } from './subscribers';

type Unreadable = Extract<Read<unknown>, { ok: false }>;

export class AssetsModel {
	#doc: Y.Doc;
	#memberId: MemberId;
	#records: RecordReads<Read<Asset>>;
	#assets: Map<string, Asset>;
	#links: Read<AssetLink>[];
	#baseMaps: Read<BaseMap>[];
	#imageUrls = new Map<string, string>();
	#notifier = createNotifier();

	constructor(doc: Y.Doc, memberId: MemberId) {
		this.#doc = doc;
		this.#memberId = memberId;
		this.#records = new RecordReads(
			assetsMap(doc),
			(id) => readAsset(doc, id),
			(unreadable) => unreadable,
			() => {
				this.#assets = this.#valid();
				this.#notifier.notify();
			}
		);
		this.#assets = this.#valid();
		this.#links = readLinks(doc);
		this.#baseMaps = readBaseMaps(doc);
		assetLinksMap(doc).observe(this.#onLinks);
		baseMapsMap(doc).observe(this.#onBaseMaps);
		baseMapImagesMap(doc).observe(this.#onBaseMaps);
		destroyWithDoc(doc, () => this.#destroy());
	}

	#valid(): Map<string, Asset> {
		const valid = new Map<string, Asset>();
		for (const [id, read] of this.#records.current) if (read.ok) valid.set(id, read.value);
		return valid;
	}

	#onLinks = (): void => {
		this.#links = readLinks(this.#doc);
		this.#notifier.notify();
	};
	#onBaseMaps = (): void => {
		this.#baseMaps = readBaseMaps(this.#doc);
		for (const [id, url] of this.#imageUrls) {
			if (baseMapImage(this.#doc, id as BaseMapId)) continue;
			URL.revokeObjectURL(url);
			this.#imageUrls.delete(id);
		}
		this.#notifier.notify();
	};

	/** Valid assets by id. Reactive. */
	get assets(): ReadonlyMap<string, Asset> {
		this.#notifier.track();
		return this.#assets;
	}
	/** Links whose two ends exist here. Reactive. */
	get links(): AssetLink[] {
		this.#notifier.track();
		return liveLinks(
			this.#links.flatMap((read) => (read.ok ? [read.value] : [])),
			this.#assets
		);
	}
	get baseMaps(): BaseMap[] {
		this.#notifier.track();
		return this.#baseMaps
			.flatMap((read) => (read.ok ? [read.value] : []))
			.sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
	}
	/** Records from peers that could not be read; listed, never dropped. */
	get unreadable(): Unreadable[] {
		this.#notifier.track();
		return [...this.#records.current.values(), ...this.#links, ...this.#baseMaps].filter(
			(read): read is Unreadable => !read.ok
		);
	}

	/** An object URL for a base map's picture, or null until its bytes have arrived. */
	imageUrl(map: BaseMap): string | null {
		this.#notifier.track();
		const cached = this.#imageUrls.get(map.id);
		if (cached) return cached;
		const bytes = baseMapImage(this.#doc, map.id);
		if (!bytes) return null;
		const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: map.mime }));
		this.#imageUrls.set(map.id, url);
		return url;
	}

	add(fields: AssetFields): AssetId {
		return createAsset(this.#doc, fields, this.#memberId, Date.now());
	}
	update(id: AssetId, fields: Partial<AssetFields>): void {
		updateAsset(this.#doc, id, fields, Date.now());
	}
	remove(id: AssetId): void {
		deleteAsset(this.#doc, id);
	}
	link(from: AssetId, relation: Relation, to: AssetId): LinkId {
		return createLink(this.#doc, from, relation, to, this.#memberId, Date.now());
	}
	unlink(id: LinkId): void {
		deleteLink(this.#doc, id);
	}

	/** Shrink a picture on this device and add it to the space as a base map. */
	async addBaseMap(name: string, file: Blob): Promise<BaseMapId> {
		const image = await prepareBaseMapImage(file);
		return addBaseMap(
			this.#doc,
			{ name, width: image.width, height: image.height, mime: image.mime },
			image.bytes,
			this.#memberId,
			Date.now()
		);
	}
	removeBaseMap(id: BaseMapId): void {
		removeBaseMap(this.#doc, id);
	}

	/**
	 * Merge a GeoJSON file made by this app's export. Throws an
	 * InventoryFileError when it is not such a file; features it cannot read
	 * are listed in `problems` and the rest still come in.
	 */
	importGeoJson(text: string): { assets: number; links: number; problems: InventoryProblem[] } {
		const inventory = assetsFromGeoJson(text);
		const added = importInventory(this.#doc, inventory.assets, inventory.links);
		return { ...added, problems: inventory.problems };
	}

	exportGeoJson(includeContact: boolean): string {
		return assetsToGeoJson([...this.#assets.values()], this.links, { includeContact });
	}
	/** The inventory as CSV, under `headers` in the person's language. */
	exportCsv(includeContact: boolean, headers: Record<CsvColumn, string>): string {
		const maps = new Map(this.baseMaps.map((map) => [map.id as string, map]));
		return assetsToCsv([...this.#assets.values()], this.links, maps, { includeContact, headers });
	}

	#destroy(): void {
		this.#records.destroy();
		assetLinksMap(this.#doc).unobserve(this.#onLinks);
		baseMapsMap(this.#doc).unobserve(this.#onBaseMaps);
		baseMapImagesMap(this.#doc).unobserve(this.#onBaseMaps);
		for (const url of this.#imageUrls.values()) URL.revokeObjectURL(url);
		this.#imageUrls.clear();
	}
}
