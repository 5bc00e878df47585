// Deleting one IndexedDB database without waiting on other tabs for ever:
// removing a space and wiping the device both use it. A tab that holds the
// database open blocks the deletion until it closes it; the browser then
// finishes it on its own, so "blocked" means "pending", not "failed".

export function deleteDatabase(name: string): Promise<'deleted'> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		// Success comes only once the database is gone, even after another tab
		// blocked it for a moment: then it is deleted, not pending. A tab that
		// keeps it open is caught by deleteDatabaseWithin's time limit.
		request.onsuccess = () => resolve('deleted');
		request.onerror = () => reject(request.error);
	});
}

/**
 * Delete a database, waiting at most `ms`: 'blocked' when a tab still holds
 * it open after that (the browser finishes the deletion once it closes).
 */
export async function deleteDatabaseWithin(
	name: string,
	ms: number
): Promise<'deleted' | 'blocked' | 'failed'> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<'blocked'>(
		(resolve) => (timer = setTimeout(() => resolve('blocked'), ms))
	);
	try {
		return await Promise.race([deleteDatabase(name), late]);
	} catch {
		return 'failed';
	} finally {
		clearTimeout(timer);
	}
}
