// Bundle files for one open space, for views: this device's state code,
// export (all, or what another device lacks) and import. Failures come back
// as a reason (problem-text.ts says it), never as an exception to catch.
import { BundleError } from '../sync/bundle';
import type { SpaceSession } from '../sync/session';
import {
	exportSignedBundle,
	importSpaceBundle,
	logStateCode,
	parseStateCode
} from '../sync/space-bundle';
import type { LinksModel } from './links.svelte';
import type { BundleFailure } from './problem-text';

export type { BundleFailure };
export type Outcome<T> = ({ ok: true } & T) | { ok: false; problem: BundleFailure };

/** Why a bundle step failed. */
export function bundleFailure(failure: unknown): BundleFailure {
	if (failure instanceof BundleError)
		return { kind: failure.problem, spaceName: failure.spaceName };
	return {
		kind: 'unexpected',
		detail: failure instanceof Error ? failure.message : String(failure)
	};
}

/**
 * A file name that says the day, and the space when the person chose to show
 * its name (a file found on a seized stick should not name the group), safe on
 * every file system.
 */
export function bundleFilename(spaceName: string, day: string, isDelta: boolean): string {
	const name = (spaceName || 'barnraise').replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 40);
	return `${name}-${day}${isDelta ? '-delta' : ''}.barnraise`;
}

export class BundlesModel {
	#session: SpaceSession;
	#links: LinksModel;
	#spaceName: () => string;

	constructor(session: SpaceSession, links: LinksModel, spaceName: () => string) {
		this.#session = session;
		this.#links = links;
		this.#spaceName = spaceName;
	}

	/** What this device has, as a short code another device can export a delta for. */
	stateCode(): string {
		return logStateCode(this.#session.signed.engine.vector());
	}

	/**
	 * An encrypted bundle of the space, or of what the device with `sinceCode`
	 * lacks. The space's name is on the file (its name and header) only with `showName`.
	 */
	async export(
		sinceCode: string | null,
		{ showName = false }: { showName?: boolean } = {}
	): Promise<Outcome<{ bytes: Uint8Array; filename: string }>> {
		let since: Map<string, number> | null = null;
		if (sinceCode) {
			const parsed = parseStateCode(sinceCode);
			if (!parsed.ok) return { ok: false, problem: { kind: parsed.problem } };
			since = parsed.lengths;
		}
		try {
			const { doc, secrets, signed } = this.#session;
			const { file } = await exportSignedBundle(signed, doc, secrets, since, { showName });
			const day = new Date().toISOString().slice(0, 10);
			const filename = bundleFilename(showName ? this.#spaceName() : '', day, since !== null);
			this.#links.noteFile('exported', filename);
			return { ok: true, bytes: file, filename };
		} catch (failure) {
			return { ok: false, problem: bundleFailure(failure) };
		}
	}

	/**
	 * Merge a bundle file: each signed range is checked on its own, `refused`
	 * says how many did not verify (the rest is taken).
	 */
	async import(file: Uint8Array): Promise<Outcome<{ changed: boolean; refused: number }>> {
		try {
			const { changed, refused } = await importSpaceBundle(
				this.#session.secrets,
				file,
				this.#session.signed
			);
			this.#links.noteFile('imported', changed ? 'new' : 'nothing-new');
			return { ok: true, changed, refused };
		} catch (failure) {
			return { ok: false, problem: bundleFailure(failure) };
		}
	}
}
