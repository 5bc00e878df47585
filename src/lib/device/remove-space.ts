// Removing one space from this device, for every tab of the app: the tab
// that removes it tells the others, and a tab that has the space open closes
// it, so the browser can delete its database.
import type { SpaceId } from '../domain/ids';

export const SPACE_REMOVED_CHANNEL = 'barnraise:space-removed';

/** Tell the other tabs `spaceId` is gone from this device. */
export function announceRemoved(spaceId: SpaceId): void {
	if (typeof BroadcastChannel === 'undefined') return;
	const channel = new BroadcastChannel(SPACE_REMOVED_CHANNEL);
	channel.postMessage(spaceId);
	channel.close();
}

/** Hear that another tab removed a space. Returns a stop function. */
export function listenForRemoved(onRemoved: (spaceId: string) => void): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => {};
	const channel = new BroadcastChannel(SPACE_REMOVED_CHANNEL);
	channel.onmessage = (event: MessageEvent<unknown>) => {
		if (typeof event.data === 'string') onRemoved(event.data);
	};
	return () => channel.close();
}
