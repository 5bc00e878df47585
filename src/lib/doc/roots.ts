// The top-level maps of a space's Y.Doc, and the transaction origins that
// tag who wrote what. This is the only module that spells the root names:
// every other module, the relay, the tests and the benchmarks go through it.
// A root's name is part of the wire format — renaming one splits a space in
// two — so names are only ever added.
//
//   meta           name, description, schemaVersion, createdAt
//   members        memberId  -> { name, color, joinedAt }           (plain JSON)
//   posts          postId    -> Y.Map of fields, `claims` a nested Y.Map
//   sites          siteId    -> Y.Map of fields
//   items          itemId    -> Y.Map of fields, `lowStock` a nested Y.Map
//   entries        entryId   -> plain JSON (immutable ledger facts)
//   assets         assetId   -> Y.Map of fields
//   assetLinks     linkId    -> plain JSON { from, to, relation, ... }
//   baseMaps       baseMapId -> plain JSON { name, width, height, mime, ... }
//   baseMapImages  baseMapId -> Uint8Array (the picture itself)
import type * as Y from 'yjs';
// Every module that touches a space's doc comes through here, the relay too:
// so this is where Yjs learns to delete deeply nested types without
// recursion, before any doc is loaded (see yjs-nesting.ts).
import './yjs-nesting';

export const ROOTS = {
	meta: 'meta',
	members: 'members',
	posts: 'posts',
	sites: 'sites',
	items: 'items',
	entries: 'entries',
	assets: 'assets',
	assetLinks: 'assetLinks',
	baseMaps: 'baseMaps',
	baseMapImages: 'baseMapImages'
} as const;
export type RootName = keyof typeof ROOTS;

export function rootMap(doc: Y.Doc, root: RootName): Y.Map<unknown> {
	return doc.getMap(ROOTS[root]);
}

/**
 * Transaction origins: what wrote a change, so listeners can tell a person's
 * own edit from one merged in from elsewhere: the relay does not write back
 * to disk what it loaded, and a GeoJSON import is not a person's edit.
 */
export const ORIGINS = {
	/** An edit made on this device by its user. */
	local: 'barnraise:local',
	/** A file a person imported into the space (a GeoJSON inventory). */
	fileImport: 'barnraise:file-import',
	/** A bundle (.barnraise file) merged in. */
	bundle: 'barnraise:bundle'
} as const;
