// Reading a file the person chose: a bundle, an inventory, a photo of a code.
// A file picker hands over anything the device holds, and reading a
// multi-gigabyte video into memory can end the tab on a phone, so the size
// the browser reports is checked against the caller's limit before a byte
// is read. Never throws: the caller gets the bytes or a reason.

export type ChosenFileRefusal =
	| { ok: false; problem: 'too-large'; size: number; max: number }
	/** The browser could not read it (moved or deleted since it was chosen, no permission). */
	| { ok: false; problem: 'unreadable' };

function tooLarge(file: Pick<Blob, 'size'>, max: number): ChosenFileRefusal | null {
	return file.size > max ? { ok: false, problem: 'too-large', size: file.size, max } : null;
}

export async function readChosenBytes(
	file: Pick<Blob, 'size' | 'arrayBuffer'>,
	max: number
): Promise<{ ok: true; bytes: Uint8Array } | ChosenFileRefusal> {
	const refused = tooLarge(file, max);
	if (refused) return refused;
	try {
		return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
	} catch {
		return { ok: false, problem: 'unreadable' };
	}
}

export async function readChosenText(
	file: Pick<Blob, 'size' | 'text'>,
	max: number
): Promise<{ ok: true; text: string } | ChosenFileRefusal> {
	const refused = tooLarge(file, max);
	if (refused) return refused;
	try {
		return { ok: true, text: await file.text() };
	} catch {
		return { ok: false, problem: 'unreadable' };
	}
}
