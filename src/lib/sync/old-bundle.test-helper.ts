// A bundle as apps before signed sync made them (format version 1: a Yjs
// update, unsigned), for the tests of refusing one and of the file format,
// which reads the same whatever it carries.
import * as Y from 'yjs';
import { readMeta } from '../doc/space-doc';
import { toBase64Url } from '../domain/ids';
import { writeBundle, type BundleHeaderFields } from './bundle';
import type { SpaceSecrets } from './keys';

export async function oldAppBundle(
	doc: Y.Doc,
	secrets: SpaceSecrets,
	since: Uint8Array | null = null,
	options: { showName?: boolean } = {}
): Promise<{ file: Uint8Array; header: BundleHeaderFields }> {
	const header = {
		spaceId: secrets.spaceId,
		spaceName: options.showName ? (readMeta(doc)?.name ?? '') : '',
		contains: since ? ('delta' as const) : ('full' as const),
		since: since ? toBase64Url(since) : null,
		createdAt: Date.now()
	};
	const update = since ? Y.encodeStateAsUpdate(doc, since) : Y.encodeStateAsUpdate(doc);
	return { file: await writeBundle(update, header, secrets.bundleKey), header };
}
