// Writing into an open space's doc as a buggy or hostile peer would: a raw
// value under a top-level map, past every check the app's own forms make.
import type { Page } from 'playwright-core';
import { ROOTS, type RootName } from '../../src/lib/doc/roots';

export async function writeRaw(
	page: Page,
	root: RootName,
	key: string,
	value: unknown
): Promise<void> {
	await page.evaluate(
		([name, key, value]) => {
			const model = (
				globalThis as unknown as {
					barnraise: {
						session: { doc: { getMap: (name: string) => Map<string, unknown> } };
					};
				}
			).barnraise;
			model.session.doc.getMap(name as string).set(key as string, value);
		},
		[ROOTS[root], key, value] as const
	);
}
