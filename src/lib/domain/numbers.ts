// Reading a number a person typed, the way they write numbers. Pure TypeScript.
//
// "2,5" is two and a half to a Spanish speaker and "1,000" is a thousand to an
// English one; a supply count read wrong by a factor of a thousand is wrong
// data in the ledger. So a comma or a point is read as the decimal mark or as
// a thousands separator by where it stands, and only a lone separator followed
// by exactly three digits ("1,000", "1.000") is read by the person's language.

/** The decimal mark of a language, as `Intl` writes it ("." or ","). */
export function decimalMark(locale: string): '.' | ',' {
	const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
	return parts.find((part) => part.type === 'decimal')?.value === ',' ? ',' : '.';
}

/**
 * The number in `input`, or NaN when it is not one. Accepts "2.5", "2,5",
 * "1,000", "1.000", "1 000", "1,234.5", "1.234,5", "-3" and "+3"; `mark` is the
 * decimal mark of the person's language, which decides "1,000" and "1.000".
 */
export function parseDecimal(input: string, mark: '.' | ','): number {
	// Spaces (including the narrow no-break space French and others group with)
	// only group digits, in threes: "1 234,5", never "12 34".
	const spaced = input.trim();
	if (
		/[\s\u00a0\u202f]/.test(spaced) &&
		!/^[+-]?\d{1,3}([\s\u00a0\u202f]\d{3})+([.,]\d+)?$/.test(spaced)
	)
		return Number.NaN;
	const text = spaced.replace(/[\s\u00a0\u202f]/g, '');
	if (!/^[+-]?(\d|[.,]\d)[\d.,]*$/.test(text)) return Number.NaN;
	const commas = text.split(',').length - 1;
	const points = text.split('.').length - 1;
	let decimal: '.' | ',' | undefined;
	if (commas > 0 && points > 0) {
		// Both: whichever comes last is the decimal mark, and it may appear once.
		decimal = text.lastIndexOf(',') > text.lastIndexOf('.') ? ',' : '.';
		if ((decimal === ',' ? commas : points) > 1) return Number.NaN;
	} else if (commas + points === 1) {
		const separator = commas ? ',' : '.';
		const after = text.length - text.indexOf(separator) - 1;
		// "1,000": a thousands separator where the person's decimal mark is the other one;
		// but nobody groups a lone zero, so "0,500" is a half in every language.
		const zeroWhole = /^[+-]?0?[.,]/.test(text);
		decimal = after === 3 && separator !== mark && !zeroWhole ? undefined : separator;
	}
	const grouping = decimal ? (decimal === ',' ? '.' : ',') : commas ? ',' : '.';
	const whole = decimal ? text.slice(0, text.lastIndexOf(decimal)) : text;
	if (!groupedWell(whole, grouping)) return Number.NaN;
	return Number(text.replaceAll(grouping, '').replace(',', '.'));
}

/** Digits grouped in threes after the first group, if grouped at all ("12,345,678"). */
function groupedWell(whole: string, grouping: '.' | ','): boolean {
	if (!whole.includes(grouping)) return true;
	return new RegExp(`^[+-]?\\d{1,3}(\\${grouping}\\d{3})+$`).test(whole);
}
