// A post's fixed values in the person's language: the record keeps the code
// ('critical', 'in-progress'), the view says the word.
import type { PostStatus, SUGGESTED_CATEGORIES, Urgency } from '$lib/domain/post';
import { m } from '$lib/paraglide/messages';

export const urgencyWord: Record<Urgency, () => string> = {
	low: m.post_urgency_low,
	normal: m.post_urgency_normal,
	high: m.post_urgency_high,
	critical: m.post_urgency_critical
};

export const statusWord: Record<PostStatus, () => string> = {
	open: m.post_status_open,
	'in-progress': m.post_status_in_progress,
	done: m.post_status_done,
	withdrawn: m.post_status_withdrawn
};

/** Suggested categories; what a person picks is stored as the words they saw. */
export const categoryWord: Record<(typeof SUGGESTED_CATEGORIES)[number], () => string> = {
	water: m.category_water,
	food: m.category_food,
	shelter: m.category_shelter,
	medical: m.category_medical,
	hygiene: m.category_hygiene,
	power: m.category_power,
	transport: m.category_transport,
	tools: m.category_tools,
	labor: m.category_labor,
	childcare: m.category_childcare,
	pets: m.category_pets,
	information: m.category_information,
	other: m.category_other
};
