// Importing a GeoJSON file of assets into the space, and how it went: what
// came in, what could not be read, or why nothing changed — as facts, for the
// view to put in words.
import { readChosenText } from '../device/chosen-file';
import { InventoryFileError, type InventoryProblem } from '../domain/asset-export';
import type { AssetsModel } from './assets.svelte';

/**
 * The largest file read as an inventory. An exported asset takes about 400
 * bytes (measured, short fields), so this is some 80,000 assets: far beyond a
 * relief group's inventory, and small enough to parse on a phone.
 */
export const MAX_INVENTORY_BYTES = 32 * 1024 * 1024;

export type ImportOutcome =
	| { ok: true; file: string; assets: number; links: number; problems: InventoryProblem[] }
	/**
	 * Nothing was changed; `detail` is the unexpected failure's own text, when
	 * there was one. `unreadable`: the browser could not read the file.
	 */
	| {
			ok: false;
			problem: 'not-json' | 'not-a-collection' | 'unreadable' | 'failed';
			detail: string;
	  }
	/** Nothing was read: the file is larger than `max` bytes. */
	| { ok: false; problem: 'too-large'; detail: ''; max: number };

export class AssetImport {
	#model: Pick<AssetsModel, 'importGeoJson'>;

	/** How the last import went, or null before the first. */
	outcome = $state<ImportOutcome | null>(null);

	constructor(model: Pick<AssetsModel, 'importGeoJson'>) {
		this.#model = model;
	}

	async importFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<void> {
		const read = await readChosenText(file, MAX_INVENTORY_BYTES);
		if (!read.ok) {
			this.outcome =
				read.problem === 'too-large'
					? { ok: false, problem: 'too-large', detail: '', max: read.max }
					: { ok: false, problem: 'unreadable', detail: '' };
			return;
		}
		try {
			const result = this.#model.importGeoJson(read.text);
			this.outcome = { ok: true, file: file.name, ...result };
		} catch (failure) {
			this.outcome =
				failure instanceof InventoryFileError
					? { ok: false, problem: failure.problem, detail: '' }
					: {
							ok: false,
							problem: 'failed',
							detail: failure instanceof Error ? failure.message : String(failure)
						};
		}
	}
}
