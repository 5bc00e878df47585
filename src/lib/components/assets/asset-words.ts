// The asset views' words for what the layers below return as codes and
// facts: kinds, relations, why a field or a point or a picture or a file is
// refused, distances and sizes — in the person's language.
import {
	ASSET_LIMITS,
	type AssetFieldErrors,
	type AssetKind,
	type LinkDirection,
	type Relation
} from '$lib/domain/assets';
import type { CsvColumn, InventoryProblem } from '$lib/domain/asset-export';
import type { TypedPoint } from '$lib/domain/typed-point';
import type { BaseMapImageProblem } from '$lib/map/base-map-image';
import { gridLabel } from '$lib/map/graticule';
import { m } from '$lib/paraglide/messages';
import type { ImportOutcome } from '$lib/state/asset-import.svelte';
import type { PositionProblem } from '$lib/state/asset-list-view.svelte';
import { formatNumber } from '$lib/state/format';

type Words = () => string;

const KIND_NAMES: Record<AssetKind, Words> = {
	skill: m.assets_kind_skill,
	association: m.assets_kind_association,
	institution: m.assets_kind_institution,
	place: m.assets_kind_place,
	equipment: m.assets_kind_equipment
};
const KIND_PLURALS: Record<AssetKind, Words> = {
	skill: m.assets_kinds_skill,
	association: m.assets_kinds_association,
	institution: m.assets_kinds_institution,
	place: m.assets_kinds_place,
	equipment: m.assets_kinds_equipment
};
const KIND_LETTERS: Record<AssetKind, Words> = {
	skill: m.assets_letter_skill,
	association: m.assets_letter_association,
	institution: m.assets_letter_institution,
	place: m.assets_letter_place,
	equipment: m.assets_letter_equipment
};
const RELATIONS: Record<Relation, Record<LinkDirection, Words>> = {
	'member-of': { forward: m.assets_rel_member_of, backward: m.assets_rel_has_member },
	'located-at': { forward: m.assets_rel_located_at, backward: m.assets_rel_location_of },
	'can-supply': { forward: m.assets_rel_can_supply, backward: m.assets_rel_supplied_by },
	knows: { forward: m.assets_rel_knows, backward: m.assets_rel_known_by },
	runs: { forward: m.assets_rel_runs, backward: m.assets_rel_run_by }
};

/** "Skill or capacity of a person". */
export const kindName = (kind: AssetKind) => KIND_NAMES[kind]();
/** "Skills", as in the legend and the filter. */
export const kindPlural = (kind: AssetKind) => KIND_PLURALS[kind]();
/** The letter on the kind's pins: "S". */
export const kindLetter = (kind: AssetKind) => KIND_LETTERS[kind]();
/** "is a member of" (forward) or "has as a member" (backward). */
export const relationWords = (relation: Relation, direction: LinkDirection) =>
	RELATIONS[relation][direction]();

/** Why each bad field of the asset form is refused. */
export function fieldErrors(
	errors: AssetFieldErrors
): Partial<Record<keyof AssetFieldErrors, string>> {
	const words: Partial<Record<keyof AssetFieldErrors, string>> = {};
	if (errors.kind) words.kind = m.assets_error_kind();
	if (errors.name) words.name = m.assets_error_name({ max: ASSET_LIMITS.name });
	if (errors.description)
		words.description = m.assets_error_description({ max: ASSET_LIMITS.description });
	if (errors.tags)
		words.tags = m.assets_error_tags({ most: ASSET_LIMITS.tags, max: ASSET_LIMITS.tag });
	if (errors.availability)
		words.availability = m.assets_error_availability({ max: ASSET_LIMITS.availability });
	if (errors.contact) words.contact = m.assets_error_contact({ max: ASSET_LIMITS.contact });
	if (errors.locationText)
		words.locationText = m.assets_error_location({ max: ASSET_LIMITS.locationText });
	if (errors.place) words.place = m.assets_error_off_earth();
	return words;
}

/** Why a typed point cannot be read. */
export function pointProblem(problem: Extract<TypedPoint, { ok: false }>['problem']): string {
	return problem === 'off-the-earth' ? m.assets_error_off_earth() : m.assets_point_not_a_point();
}

/** Why there is no position: the GPS's reason, or what is wrong with the typed one. */
export function positionProblem(problem: PositionProblem): string {
	switch (problem) {
		case 'insecure-page':
			return m.assets_gps_insecure();
		case 'unsupported':
			return m.assets_gps_unsupported();
		case 'denied':
			return m.assets_gps_denied();
		case 'no-fix':
			return m.assets_gps_no_fix();
		case 'unavailable':
			return m.assets_gps_unavailable();
		case 'nothing-typed':
			return m.assets_position_nothing_typed();
		default:
			return pointProblem(problem);
	}
}

/** A grid line's coordinate: "25.8° N", "80.19° W" ("80.19° O" in Spanish), "0°". */
export function gridLineName(value: number, axis: 'lat' | 'lon', decimals: number): string {
	const { degrees, side } = gridLabel(value, axis, decimals);
	switch (side) {
		case 'N':
			return m.assets_grid_north({ degrees });
		case 'S':
			return m.assets_grid_south({ degrees });
		case 'E':
			return m.assets_grid_east({ degrees });
		case 'W':
			return m.assets_grid_west({ degrees });
		default:
			return m.assets_grid_degrees({ degrees });
	}
}

/** "850 m", "3.2 km", "41 km". */
export function distanceText(metres: number): string {
	if (metres < 1000)
		return m.assets_distance_m({ distance: formatNumber(Math.round(metres / 10) * 10) });
	const km = metres < 10_000 ? Math.round(metres / 100) / 10 : Math.round(metres / 1000);
	return m.assets_distance_km({ distance: formatNumber(km) });
}

/** "1.5 MB". */
export function megabytes(bytes: number): string {
	return m.assets_megabytes({ size: formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10) });
}

/** Why a picture cannot become a base map. */
export function baseMapImageProblem(problem: BaseMapImageProblem): string {
	switch (problem.kind) {
		case 'still-too-big':
			return m.assets_picture_still_too_big({
				size: megabytes(problem.bytes),
				max: megabytes(problem.max)
			});
		case 'file-too-big':
			return m.assets_picture_file_too_big({
				size: megabytes(problem.bytes),
				max: megabytes(problem.max),
				target: megabytes(problem.target)
			});
		case 'not-a-picture':
			return m.assets_picture_not_a_picture();
		case 'cannot-draw':
			return m.assets_picture_cannot_draw();
		case 'cannot-compress':
			return m.assets_picture_cannot_compress();
	}
}

function inventoryProblem(problem: InventoryProblem): string {
	switch (problem.kind) {
		case 'not-a-feature':
			return m.assets_import_not_a_feature({ feature: formatNumber(problem.feature) });
		case 'unreadable-asset':
			return m.assets_import_unreadable_asset({
				feature: formatNumber(problem.feature),
				name: problem.name,
				detail: problem.detail
			});
		case 'unreadable-link':
			return m.assets_import_unreadable_link({ name: problem.asset, detail: problem.detail });
	}
}

function importProblem(outcome: ImportOutcome & { ok: false }): string {
	switch (outcome.problem) {
		case 'not-json':
			return m.assets_import_not_json();
		case 'not-a-collection':
			return m.assets_import_not_a_collection();
		case 'unreadable':
			return m.assets_import_unreadable();
		case 'too-large':
			return m.assets_import_too_large({ max: formatNumber(outcome.max / 2 ** 20) });
		case 'failed':
			return outcome.detail;
	}
}

/** How an import went, in one paragraph. */
export function importOutcome(outcome: ImportOutcome): string {
	if (!outcome.ok) {
		return m.assets_import_failed({ why: importProblem(outcome) });
	}
	const done = m.assets_import_done({
		assets: outcome.assets,
		assetsText: formatNumber(outcome.assets),
		links: outcome.links,
		linksText: formatNumber(outcome.links),
		file: outcome.file
	});
	if (outcome.problems.length === 0) return done;
	const skipped = m.assets_import_skipped({
		count: outcome.problems.length,
		countText: formatNumber(outcome.problems.length),
		problems: outcome.problems.slice(0, 3).map(inventoryProblem).join(' ')
	});
	return `${done} ${skipped}`;
}

/** The CSV's headers, for people reading the file. */
export function csvHeaders(): Record<CsvColumn, string> {
	return {
		id: m.assets_csv_id(),
		kind: m.assets_csv_kind(),
		name: m.assets_csv_name(),
		description: m.assets_csv_description(),
		tags: m.assets_csv_tags(),
		availability: m.assets_csv_availability(),
		contact: m.assets_csv_contact(),
		location: m.assets_csv_location(),
		latitude: m.assets_csv_latitude(),
		longitude: m.assets_csv_longitude(),
		baseMap: m.assets_csv_base_map(),
		mapX: m.assets_csv_map_x(),
		mapY: m.assets_csv_map_y(),
		links: m.assets_csv_links()
	};
}
