// What the geographic map is drawn on, for the asset map: plain ground, a
// PMTiles archive opened from a file (kept on this device, opened again
// after a reload), or online tiles from the address in Settings.
import { forgetFile, keepFile, keptFile } from '../device/device-files';
import { tileUrl } from './settings';

export type BackgroundKind = 'blank' | 'pmtiles' | 'online';
export type GeoBackground =
	{ kind: 'blank' } | { kind: 'pmtiles'; file: File } | { kind: 'online'; url: string };

const PMTILES_KEY = 'pmtiles';

export class MapBackground {
	kind = $state<BackgroundKind>('blank');
	pmtilesFile = $state<File | null>(null);
	/** The online tile address from Settings, or '' when none is set. */
	readonly tileUrl = tileUrl();

	/** Open again the archive kept from last time, if there is one. */
	async restore(): Promise<void> {
		const file = await keptFile(PMTILES_KEY);
		if (!file || this.pmtilesFile) return;
		this.pmtilesFile = file;
		if (this.kind === 'blank') this.kind = 'pmtiles';
	}

	choosePmtiles(file: File | null): void {
		this.pmtilesFile = file;
		if (file) void keepFile(PMTILES_KEY, file);
	}

	dropPmtiles(): void {
		this.pmtilesFile = null;
		this.kind = 'blank';
		void forgetFile(PMTILES_KEY);
	}

	/** What to draw now: the chosen kind when it can be drawn, else plain ground. */
	get current(): GeoBackground {
		if (this.kind === 'pmtiles' && this.pmtilesFile)
			return { kind: 'pmtiles', file: this.pmtilesFile };
		if (this.kind === 'online' && this.tileUrl) return { kind: 'online', url: this.tileUrl };
		return { kind: 'blank' };
	}
}
