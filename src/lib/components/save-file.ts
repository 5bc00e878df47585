// Hand a file to the person: the browser's download, which works offline and
// on plain-http origins alike.
export function saveFile(contents: BlobPart, filename: string, type: string): void {
	const url = URL.createObjectURL(new Blob([contents], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Hand a CSV file to the person, marked as UTF-8 with a byte-order mark so
 * spreadsheet programs show accents and curly quotes as typed.
 */
export function saveCsv(text: string, filename: string): void {
	saveFile('\uFEFF' + text, filename, 'text/csv;charset=utf-8');
}
