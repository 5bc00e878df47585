// Importing a GeoJSON file of assets into the space, and the line that says
// how it went: what came in, what could not be read, or why nothing changed.
import type { AssetsModel } from './assets.svelte';

export interface ImportMessage {
	ok: boolean;
	text: string;
}

export class AssetImport {
	#model: Pick<AssetsModel, 'importGeoJson'>;

	/** How the last import went, or null before the first. */
	message = $state<ImportMessage | null>(null);

	constructor(model: Pick<AssetsModel, 'importGeoJson'>) {
		this.#model = model;
	}

	async importFile(file: Pick<File, 'name' | 'text'>): Promise<void> {
		try {
			const result = this.#model.importGeoJson(await file.text());
			const skipped = result.problems.length
				? ` ${result.problems.length} could not be read: ${result.problems.slice(0, 3).join(' ')}`
				: '';
			this.message = {
				ok: true,
				text: `Imported ${result.assets} new assets and ${result.links} links from ${file.name} (assets already here were kept as they are).${skipped}`
			};
		} catch (failure) {
			this.message = {
				ok: false,
				text: `${failure instanceof Error ? failure.message : String(failure)} Nothing was changed.`
			};
		}
	}
}
