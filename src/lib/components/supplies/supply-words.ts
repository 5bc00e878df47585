// The supply log's words in the person's language. The domain names kinds,
// categories and problems by code; the supplies views say them through these,
// so a word is translated once (messages/supplies) wherever it shows.
import { daysUntil } from '$lib/domain/stock';
import type { SupplyTableWords } from '$lib/domain/supply-export';
import {
	MOVEMENT_SIGN,
	type EntryKind,
	type Item,
	type ItemCategory,
	type MovementKind,
	type QuantityProblem,
	type SiteKind
} from '$lib/domain/supplies';
import { m } from '$lib/paraglide/messages';
import { formatDay, formatNumber, readNumber } from '$lib/state/format';

const SITE_KIND: Record<SiteKind, () => string> = {
	depot: m.supplies_site_kind_depot,
	distribution: m.supplies_site_kind_distribution,
	shelter: m.supplies_site_kind_shelter,
	vehicle: m.supplies_site_kind_vehicle
};

const CATEGORY: Record<ItemCategory, () => string> = {
	water: m.supplies_category_water,
	food: m.supplies_category_food,
	medicine: m.supplies_category_medicine,
	hygiene: m.supplies_category_hygiene,
	shelter: m.supplies_category_shelter,
	baby: m.supplies_category_baby,
	pet: m.supplies_category_pet,
	tools: m.supplies_category_tools,
	other: m.supplies_category_other
};

const ENTRY_KIND: Record<EntryKind, () => string> = {
	received: m.supplies_kind_received,
	distributed: m.supplies_kind_distributed,
	'transfer-out': m.supplies_kind_transfer_out,
	'transfer-in': m.supplies_kind_transfer_in,
	expired: m.supplies_kind_expired,
	damaged: m.supplies_kind_damaged,
	lost: m.supplies_kind_lost,
	count: m.supplies_kind_count,
	void: m.supplies_kind_void
};

export const siteKindLabel = (kind: SiteKind): string => SITE_KIND[kind]();
export const categoryLabel = (category: ItemCategory): string => CATEGORY[category]();
export const entryKindLabel = (kind: EntryKind): string => ENTRY_KIND[kind]();

/** "40 liter Water": a quantity in the person's number style, the item's unit and name. */
export function amountText(
	quantity: number,
	item: Pick<Item, 'unit' | 'name'> | undefined
): string {
	if (!item) return m.supplies_amount_unknown_item({ quantity: formatNumber(quantity) });
	return m.supplies_amount({ quantity: formatNumber(quantity), unit: item.unit, item: item.name });
}

/**
 * A stored number to put back in a field, written as the person writes
 * numbers ("2,5" in es-ES), unless that style would round it (more than three
 * decimals): then as stored, which `readNumber` reads back the same.
 */
export function numberToEdit(value: number): string {
	const shown = formatNumber(value);
	return readNumber(shown) === value ? shown : String(value);
}

/** One ledger line's "what": "Received +40 liter Water", "Counted 12 liter Water on hand". */
export function describeEntry(
	entry: { kind: EntryKind; quantity: number },
	item: Pick<Item, 'unit' | 'name'> | undefined
): string {
	if (entry.kind === 'void') return m.supplies_entry_voided();
	const amount = amountText(entry.quantity, item);
	if (entry.kind === 'count') return m.supplies_entry_counted({ amount });
	const sign = MOVEMENT_SIGN[entry.kind as MovementKind] > 0 ? '+' : '−';
	return m.supplies_entry_movement({ kind: entryKindLabel(entry.kind), sign, amount });
}

/** Why a typed quantity was refused, as the person reads it. */
export function quantityProblemText(problem: QuantityProblem): string {
	switch (problem.problem) {
		case 'not-a-number':
			return m.supplies_quantity_not_a_number();
		case 'signed':
			return m.supplies_quantity_signed();
		case 'zero':
			return m.supplies_quantity_zero();
		case 'too-large':
			return m.supplies_quantity_too_large({ max: formatNumber(problem.max) });
	}
}

/**
 * A batch near or past its expiry, in words as well as colour:
 * "Batch B1 expires in 3 days (Dec 4, 2026)", "A batch expired 2 days ago (…)".
 */
export function expiryText(batch: string, expiresOn: string, today: string): string {
	const name = batch ? m.supplies_batch_named({ batch }) : m.supplies_batch_unnamed();
	const date = formatDay(expiresOn);
	const days = daysUntil(today, expiresOn);
	if (days > 0) return m.supplies_expires_in({ batch: name, days, date });
	if (days === 0) return m.supplies_expires_today({ batch: name, date });
	return m.supplies_expired_ago({ batch: name, days: -days, date });
}

/** The CSV files' headers and cell words, in the person's language (the HXL row stays). */
export function tableWords(): SupplyTableWords {
	return {
		stockHeaders: {
			site: m.supplies_csv_site(),
			siteKind: m.supplies_csv_site_kind(),
			item: m.supplies_csv_item(),
			unit: m.supplies_csv_unit(),
			category: m.supplies_csv_category(),
			stock: m.supplies_csv_stock(),
			lastCounted: m.supplies_csv_last_counted(),
			flag: m.supplies_csv_flag()
		},
		ledgerHeaders: {
			recordedAt: m.supplies_csv_recorded_at(),
			site: m.supplies_csv_site(),
			item: m.supplies_csv_item(),
			unit: m.supplies_csv_unit(),
			movement: m.supplies_csv_movement(),
			quantity: m.supplies_csv_quantity(),
			change: m.supplies_csv_change(),
			households: m.supplies_csv_households(),
			fromOrOtherSite: m.supplies_csv_from_or_other_site(),
			batch: m.supplies_csv_batch(),
			expires: m.supplies_csv_expires(),
			recordedBy: m.supplies_csv_recorded_by(),
			note: m.supplies_csv_note(),
			status: m.supplies_csv_status(),
			entryId: m.supplies_csv_entry_id(),
			corrects: m.supplies_csv_corrects()
		},
		siteKind: siteKindLabel,
		category: categoryLabel,
		entryKind: entryKindLabel,
		low: m.supplies_csv_low(),
		corrected: m.supplies_csv_corrected()
	};
}
