// Barnraise is a local-first single-page app: all data lives in the browser,
// so nothing is rendered on a server and nothing is prerendered.
import { device } from '$lib/state/device.svelte';

export const ssr = false;
export const prerender = false;

// Runs once, before any page shows the list of spaces or opens one: spaces
// whose localStorage copy a crash lost come back from their durable copy.
export async function load(): Promise<void> {
	await device.restore();
}
