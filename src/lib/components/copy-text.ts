// Copy text to the clipboard from a tap, on every origin the app is served
// from. The Clipboard API exists only in secure contexts; on plain http (a
// laptop's LAN address) the older execCommand('copy') on a selected, hidden
// text area still works while the tap's user activation lasts.

/** Copy `text`; true when the browser says it did. Call it from a click handler. */
export async function copyText(text: string): Promise<boolean> {
	if (window.isSecureContext && navigator.clipboard) {
		try {
			await navigator.clipboard.writeText(text);
			return true;
		} catch {
			// Refused (permissions, an unfocused page): try the old way below.
		}
	}
	return copyBySelection(text);
}

function copyBySelection(text: string): boolean {
	const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
	const area = document.createElement('textarea');
	area.value = text;
	area.setAttribute('readonly', '');
	area.setAttribute('aria-hidden', 'true');
	// Off-screen, fixed so selecting it does not scroll the page; 16px so iOS does not zoom.
	area.style.cssText = 'position:fixed;top:0;left:-9999px;opacity:0;font-size:16px';
	document.body.append(area);
	area.select();
	// iOS Safari selects nothing with select() alone.
	area.setSelectionRange(0, text.length);
	let copied: boolean;
	try {
		copied = document.execCommand('copy');
	} catch {
		copied = false;
	}
	area.remove();
	focused?.focus();
	return copied;
}
