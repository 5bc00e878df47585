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

/**
 * Write `value` under `root` as a fact: under the key its own Yjs item names
 * (fact-key.ts), so it passes sync v2's rules and only its content is wrong.
 */
export async function writeRawFact(page: Page, root: RootName, value: unknown): Promise<void> {
	await page.evaluate(
		([name, value]) => {
			const g = globalThis as unknown as {
				barnraise: { session: { doc: import('yjs').Doc } };
				barnraiseYjs: typeof import('yjs');
			};
			const doc = g.barnraise.session.doc;
			const clock = g.barnraiseYjs.getState(doc.store, doc.clientID);
			const key = `f-${doc.clientID.toString(36).padStart(11, '0')}-${clock.toString(36)}`;
			doc.getMap(name as string).set(key, value);
		},
		[ROOTS[root], value] as const
	);
}

/**
 * Put under `root`/`key` Y.Maps nested `depth` deep, as a hostile peer's
 * 60 KB update would: one level at a time, in one transaction.
 */
export async function writeDeepNesting(
	page: Page,
	root: RootName,
	key: string,
	depth = 5000
): Promise<void> {
	await page.evaluate(
		([name, key, depth]) => {
			const handles = globalThis as unknown as {
				barnraise: { session: { doc: import('yjs').Doc } };
				barnraiseYjs: typeof import('yjs');
			};
			const Y = handles.barnraiseYjs;
			const doc = handles.barnraise.session.doc;
			doc.transact(() => {
				let current = new Y.Map<unknown>();
				doc.getMap(name as string).set(key as string, current);
				for (let level = 0; level < (depth as number); level++) {
					const next = new Y.Map<unknown>();
					current.set('x', next);
					current = next;
				}
			});
		},
		[ROOTS[root], key, depth] as const
	);
}

/** Put `count` junk keys (not ids) with small values under `root`, in one transaction. */
export async function writeJunkKeys(page: Page, root: RootName, count: number): Promise<void> {
	await page.evaluate(
		([name, count]) => {
			const doc = (globalThis as unknown as { barnraise: { session: { doc: import('yjs').Doc } } })
				.barnraise.session.doc;
			doc.transact(() => {
				const map = doc.getMap(name as string);
				for (let index = 0; index < (count as number); index++) map.set(`junk ${index}`, index);
			});
		},
		[ROOTS[root], count] as const
	);
}
