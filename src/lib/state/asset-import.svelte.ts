// Importing a GeoJSON file of assets into the space, and how it went: what
// came in, what could not be read, or why nothing changed — as facts, for the
// view to put in words.
import { InventoryFileError, type InventoryProblem } from '../domain/asset-export';
import type { AssetsModel } from './assets.svelte';

export type ImportOutcome =
	| { ok: true; file: string; assets: number; links: number; problems: InventoryProblem[] }
	/** Nothing was changed; `detail` is the unexpected failure's own text, when there was one. */
	| { ok: false; problem: 'not-json' | 'not-a-collection' | 'failed'; detail: string };

export class AssetImport {
	#model: Pick<AssetsModel, 'importGeoJson'>;

	/** How the last import went, or null before the first. */
	outcome = $state<ImportOutcome | null>(null);

	constructor(model: Pick<AssetsModel, 'importGeoJson'>) {
		this.#model = model;
	}

	async importFile(file: Pick<File, 'name' | 'text'>): Promise<void> {
		try {
			const result = this.#model.importGeoJson(await file.text());
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
