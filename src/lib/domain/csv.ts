// CSV export for paper backups and for other tools, with an HXL hashtag row
// (Humanitarian Exchange Language) under the headers so humanitarian data
// tools read the columns without guessing. RFC 4180 quoting.

export interface CsvTable {
	headers: string[];
	hxl: string[];
	rows: (string | number)[][];
}

function quote(value: string | number): string {
	const text = String(value);
	// Leading =, +, -, @ would run as formulas in spreadsheets: neutralize them.
	const safe = /^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: CsvTable): string {
	return (
		[table.headers, table.hxl, ...table.rows].map((row) => row.map(quote).join(',')).join('\r\n') +
		'\r\n'
	);
}

/** Parse CSV text (RFC 4180) into rows of strings. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (inQuotes) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i += 1;
			} else if (char === '"') {
				inQuotes = false;
			} else {
				field += char;
			}
		} else if (char === '"') {
			inQuotes = true;
		} else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[i + 1] === '\n') i += 1;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else {
			field += char;
		}
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}
