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
