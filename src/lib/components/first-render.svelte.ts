// For the benchmarks: mark (performance.mark) the moment a view is first on
// screen after a page load, once per page load, with what it showed.
// Call during a component's setup; `detail` is read when the mark is made,
// and `ready` (when given) must say true first.

export function markFirstRender(
	name: string,
	detail: () => Record<string, unknown>,
	ready: () => boolean = () => true
): void {
	const mark = `barnraise:${name}`;
	$effect(() => {
		if (!ready() || performance.getEntriesByName(mark).length > 0) return;
		performance.mark(mark, { detail: detail() });
	});
}
