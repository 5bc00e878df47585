// Numbers and dates as the person reads them: in the interface's language,
// in the regional form their browser asks for (es-MX writes "2.5", es-ES
// "2,5"), one style for the whole app. Templates that call these re-render
// when the language changes, since they read `locale.current`.
import { decimalMark, parseDecimal } from '$lib/domain/numbers';
import { locale } from './locale.svelte';

/**
 * The tag to format with: the browser's own regional variant of the interface
 * language when it has one (es-MX for a Mexican browser showing Spanish), else
 * the interface language itself.
 */
function formatTag(): string {
	const language = locale.current;
	const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? []);
	return preferred.find((tag) => tag.split('-')[0]?.toLowerCase() === language) ?? language;
}

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(
	kind: string,
	make: (tag: string) => T
): T {
	const tag = formatTag();
	const key = `${kind} ${tag}`;
	let format = formats.get(key) as T | undefined;
	if (!format) formats.set(key, (format = make(tag)));
	return format;
}

/** 1,234.5 or 1234,5, as the person writes numbers. */
export function formatNumber(value: number): string {
	return cached('number', (tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 3 })).format(
		value
	);
}

/** A day: "Dec 1, 2026", "1 dic 2026". */
export function formatDate(time: number | Date): string {
	return cached('date', (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' })).format(
		time
	);
}

/** A moment: "Dec 1, 2026, 2:05 PM", "1 dic 2026, 14:05". */
export function formatDateTime(time: number | Date): string {
	return cached(
		'datetime',
		(tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' })
	).format(time);
}

/** A time of day: "2:05 PM", "14:05". */
export function formatTime(time: number | Date): string {
	return cached('time', (tag) => new Intl.DateTimeFormat(tag, { timeStyle: 'short' })).format(time);
}

/** A calendar day stored as YYYY-MM-DD (an expiry date), as a day, with no time-zone shift. */
export function formatDay(isoDay: string): string {
	const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
	if (!parts) return isoDay;
	return formatDate(new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
}

/** The number a person typed ("2,5", "1.000", "1,234.5"), or NaN. */
export function readNumber(text: string): number {
	return parseDecimal(text, decimalMark(formatTag()));
}
