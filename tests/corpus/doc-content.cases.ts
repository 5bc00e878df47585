// Hostile doc content, one record a line: what a buggy or hostile member's
// device could store under any root (deep nesting, 20 MB strings, 100,000
// keys, wrong types, keys that are not ids, prototype-pollution keys). Each
// says which row the doc layer's readers must list as unreadable, and the
// words its problem must contain, or `readable` where the content is odd but
// harmless. Reading never throws, never changes the doc, and never hides the
// space's good records.
import * as Y from 'yjs';
import { ROOTS, type RootName } from '../../src/lib/doc/roots';

/** Writes the hostile content into a peer's fresh doc (its update is then received). */
type Write = (doc: Y.Doc) => void;

/** Listed as unreadable with a problem matching this; or read without harm. */
export type Expected = RegExp | 'readable';

export const ID = 'hostile-record-0001';
const BIG = 20_000_000;
/** Past the per-record limits (1,000,000 characters, 20,000 values) at a tenth of the cost. */
const LARGE = 2_000_000;
const MANY = 25_000;

const set =
	(root: RootName, key: string, value: () => unknown): Write =>
	(doc) =>
		doc.getMap(ROOTS[root]).set(key, value());

/** A Y.Map holding `fields` (Yjs types integrate when the map does). */
function yMap(fields: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(fields)) map.set(key, value);
	return map;
}

const post = (fields: Record<string, unknown>) =>
	yMap({
		v: 1,
		kind: 'need',
		title: 'Water',
		details: '',
		category: 'water',
		quantity: 1,
		unit: 'L',
		urgency: 'normal',
		locationText: '',
		contact: '',
		expiresAt: null,
		status: 'open',
		createdBy: 'member-corpus-01',
		createdAt: 1,
		updatedAt: 1,
		claims: new Y.Map(),
		...fields
	});

const member = (fields: Record<string, unknown>) => ({
	v: 1,
	name: 'Ana',
	color: '#aa3300',
	joinedAt: 1,
	...fields
});

/** Plain JSON nested `depth` deep, built without recursion. */
function nestedPlain(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let level = 0; level < depth; level++) value = { x: value };
	return value;
}

function manyKeys(count: number): Record<string, number> {
	const keys: Record<string, number> = {};
	for (let index = 0; index < count; index++) keys[`k${index}`] = index;
	return keys;
}

export const docContentCases: [
	label: string,
	root: RootName | 'meta',
	key: string,
	write: Write,
	expected: Expected
][] = [
	// Posts: a Y.Map each.
	['a post that is a number', 'posts', ID, set('posts', ID, () => 42), /expected Object/i],
	['a post that is text', 'posts', ID, set('posts', ID, () => 'Water please'), /expected Object/i],
	['a post that is null', 'posts', ID, set('posts', ID, () => null), /expected Object/i],
	[
		'a post that is a list',
		'posts',
		ID,
		set('posts', ID, () => ['need', 'Water']),
		/kind: Invalid key/
	],
	[
		'a post that is bytes',
		'posts',
		ID,
		set('posts', ID, () => new Uint8Array(8)),
		/kind: Invalid key/
	],
	['an empty post', 'posts', ID, set('posts', ID, () => new Y.Map()), /.+/],
	['a post with a numeric title', 'posts', ID, set('posts', ID, () => post({ title: 7 })), /title/],
	[
		'a post with an empty title',
		'posts',
		ID,
		set('posts', ID, () => post({ title: '   ' })),
		/title/
	],
	[
		'a post with a 121-character title',
		'posts',
		ID,
		set('posts', ID, () => post({ title: 't'.repeat(121) })),
		/title/
	],
	['a post of another kind', 'posts', ID, set('posts', ID, () => post({ kind: 'both' })), /kind/],
	[
		'a post with a negative quantity',
		'posts',
		ID,
		set('posts', ID, () => post({ quantity: -1 })),
		/quantity/
	],
	[
		'a post with an infinite quantity',
		'posts',
		ID,
		set('posts', ID, () => post({ quantity: Infinity })),
		/quantity/
	],
	[
		'a post with a quantity as text',
		'posts',
		ID,
		set('posts', ID, () => post({ quantity: '5' })),
		/quantity/
	],
	[
		'a post with an unknown status',
		'posts',
		ID,
		set('posts', ID, () => post({ status: 'hacked' })),
		/status/
	],
	[
		'a post with claims as text',
		'posts',
		ID,
		set('posts', ID, () => post({ claims: 'all' })),
		/claims/
	],
	[
		'a post with a 20 MB details',
		'posts',
		ID,
		set('posts', ID, () => post({ details: 'd'.repeat(BIG) })),
		/too large \(over 1000000 characters\)/
	],
	[
		'a post with a 2 MB key',
		'posts',
		ID,
		set('posts', ID, () => yMap({ ['k'.repeat(LARGE)]: 1 })),
		/too large \(over 1000000 characters\)/
	],
	[
		'a post with 25,000 keys',
		'posts',
		ID,
		set('posts', ID, () => yMap(manyKeys(MANY))),
		/too large \(over 20000 values\)/
	],
	[
		'a post with a list of 25,000 values',
		'posts',
		ID,
		set('posts', ID, () => post({ claims: new Array(MANY).fill(0) })),
		/too large \(over 20000 values\)/
	],
	[
		'a post with Y.Maps nested 5,000 deep',
		'posts',
		ID,
		(doc) => {
			let current = new Y.Map<unknown>();
			doc.getMap('posts').set(ID, current);
			for (let level = 0; level < 5000; level++) {
				const next = new Y.Map<unknown>();
				current.set('x', next);
				current = next;
			}
		},
		/nested too deep/
	],
	[
		'a post with plain JSON nested 500 deep',
		'posts',
		ID,
		set('posts', ID, () => post({ details: nestedPlain(500) })),
		/nested too deep/
	],
	[
		'a post with a Y.XmlText title',
		'posts',
		ID,
		set('posts', ID, () => post({ title: new Y.XmlText('Water') })),
		/unexpected kind/
	],
	[
		'a post with a Y.XmlElement inside',
		'posts',
		ID,
		set('posts', ID, () => post({ details: new Y.XmlElement('script') })),
		/unexpected kind/
	],
	[
		'a post holding a whole doc',
		'posts',
		ID,
		set('posts', ID, () => post({ details: new Y.Doc() })),
		/unexpected kind/
	],
	[
		'a post with a __proto__ field',
		'posts',
		ID,
		set('posts', ID, () => post({ ['__proto__']: { polluted: true } })),
		'readable'
	],
	[
		'a post with a constructor field',
		'posts',
		ID,
		set('posts', ID, () => post({ constructor: { prototype: { polluted: true } } })),
		'readable'
	],
	[
		'a post under the key __proto__',
		'posts',
		'__proto__',
		set('posts', '__proto__', () => post({})),
		'readable'
	],
	[
		'a post under the key constructor',
		'posts',
		'constructor',
		set('posts', 'constructor', () => post({})),
		'readable'
	],
	[
		'a post under a javascript: key',
		'posts',
		'javascript:alert(1)',
		set('posts', 'javascript:alert(1)', () => post({})),
		/malformed id/
	],
	[
		'a post under an HTML key',
		'posts',
		'<img src=x onerror=alert(1)>',
		set('posts', '<img src=x onerror=alert(1)>', () => post({})),
		/malformed id/
	],
	[
		'a post under a 1 MB key',
		'posts',
		'k'.repeat(1_000_000),
		set('posts', 'k'.repeat(1_000_000), () => post({})),
		/malformed id/
	],
	['a post under an empty key', 'posts', '', set('posts', '', () => post({})), /malformed id/],
	[
		'a post under a right-to-left key',
		'posts',
		'\u202erecord-0001',
		set('posts', '\u202erecord-0001', () => post({})),
		/malformed id/
	],
	// Members: plain JSON each.
	['a member that is text', 'members', ID, set('members', ID, () => 'Ana'), /.*/],
	[
		'a member with a numeric name',
		'members',
		ID,
		set('members', ID, () => member({ name: 5 })),
		/.*/
	],
	[
		'a member with a 2 MB name',
		'members',
		ID,
		set('members', ID, () => member({ name: 'n'.repeat(LARGE) })),
		/.*/
	],
	[
		'a member with a colour that is CSS',
		'members',
		ID,
		set('members', ID, () => member({ color: 'red;background:url(x)' })),
		/.*/
	],
	['a member nested 500 deep', 'members', ID, set('members', ID, () => nestedPlain(500)), /.*/],
	[
		'a member as a Y.Map nested 5,000 deep',
		'members',
		ID,
		(doc) => {
			let current = new Y.Map<unknown>();
			doc.getMap('members').set(ID, current);
			for (let level = 0; level < 5000; level++) {
				const next = new Y.Map<unknown>();
				current.set('x', next);
				current = next;
			}
		},
		/.*/
	],
	[
		'a member under a junk key',
		'members',
		'not an id!',
		set('members', 'not an id!', () => member({})),
		/.*/
	],
	// Supplies.
	['a site that is a number', 'sites', ID, set('sites', ID, () => 1), /expected Object/i],
	[
		'a site with a 2 MB name',
		'sites',
		ID,
		set('sites', ID, () => yMap({ v: 1, name: 's'.repeat(LARGE) })),
		/too large/
	],
	[
		'a site with 25,000 keys',
		'sites',
		ID,
		set('sites', ID, () => yMap(manyKeys(MANY))),
		/too large \(over 20000 values\)/
	],
	[
		'an item with a numeric name',
		'items',
		ID,
		set('items', ID, () => yMap({ v: 1, name: 5, unit: 'kg' })),
		/name/
	],
	[
		'an item with low stock as text',
		'items',
		ID,
		set('items', ID, () => yMap({ v: 1, name: 'Rice', unit: 'kg', lowStock: 'low' })),
		/lowStock/
	],
	[
		'an entry that is text',
		'entries',
		ID,
		set('entries', ID, () => 'received 5'),
		/expected Object/i
	],
	[
		'an entry of an unknown kind',
		'entries',
		ID,
		set('entries', ID, () => ({
			v: 1,
			kind: 'stolen',
			item: 'item-corpus-01',
			site: 'site-corpus-01',
			quantity: 1,
			recordedAt: 1,
			recordedBy: 'member-corpus-01'
		})),
		/kind/
	],
	[
		'an entry with a NaN quantity',
		'entries',
		ID,
		set('entries', ID, () => ({
			v: 1,
			kind: 'received',
			item: 'item-corpus-01',
			site: 'site-corpus-01',
			quantity: Number.NaN,
			recordedAt: 1,
			recordedBy: 'member-corpus-01'
		})),
		/quantity/
	],
	[
		'an entry naming a javascript: site',
		'entries',
		ID,
		set('entries', ID, () => ({
			v: 1,
			kind: 'received',
			item: 'item-corpus-01',
			site: 'javascript:alert(1)',
			quantity: 1,
			recordedAt: 1,
			recordedBy: 'member-corpus-01'
		})),
		/site/
	],
	[
		'an entry from a newer version',
		'entries',
		ID,
		set('entries', ID, () => ({ v: 99, kind: 'received' })),
		/version/
	],
	// Assets and maps.
	[
		'an asset that is a list',
		'assets',
		ID,
		set('assets', ID, () => new Y.Array()),
		/kind: Invalid key/
	],
	[
		'an asset off the earth',
		'assets',
		ID,
		set('assets', ID, () =>
			yMap({
				v: 1,
				kind: 'place',
				name: 'Church',
				place: { kind: 'geo', lat: 91, lon: 0, source: 'typed' }
			})
		),
		/lat|place/
	],
	[
		'an asset with 2 MB of tags',
		'assets',
		ID,
		set('assets', ID, () =>
			yMap({ v: 1, kind: 'skill', name: 'Nurse', tags: ['t'.repeat(LARGE)] })
		),
		/too large/
	],
	[
		'a link to nowhere of an unknown kind',
		'assetLinks',
		ID,
		set('assetLinks', ID, () => ({ v: 1, from: 'x', to: 'y', relation: 'owns' })),
		/.+/
	],
	[
		'a base map with a negative width',
		'baseMaps',
		ID,
		set('baseMaps', ID, () => ({ v: 1, name: 'Plan', width: -5, height: 10, mime: 'image/png' })),
		/.+/
	],
	[
		'a base map of SVG with a script',
		'baseMaps',
		ID,
		set('baseMaps', ID, () => ({
			v: 1,
			name: 'Plan',
			width: 5,
			height: 10,
			mime: 'image/svg+xml'
		})),
		/mime/
	],
	// The space's description: field by field.
	['a space name that is a number', 'meta', 'name', set('meta', 'name', () => 7), /name/],
	['a space name of 2 MB', 'meta', 'name', set('meta', 'name', () => 'n'.repeat(LARGE)), /name/],
	[
		'a space description nested 5,000 deep',
		'meta',
		'description',
		(doc) => {
			let current = new Y.Map<unknown>();
			doc.getMap('meta').set('description', current);
			for (let level = 0; level < 5000; level++) {
				const next = new Y.Map<unknown>();
				current.set('x', next);
				current = next;
			}
		},
		/description/
	],
	[
		'a schema version as text',
		'meta',
		'schemaVersion',
		set('meta', 'schemaVersion', () => 'one'),
		/schemaVersion/
	],
	// Roots nobody reads, and floods of junk.
	[
		'25,000 junk keys in a root nobody reads',
		'meta',
		'none',
		(doc) => {
			const map = doc.getMap('nobody-reads-this');
			for (let index = 0; index < MANY; index++) map.set(`junk ${index}`, index);
		},
		'readable'
	],
	[
		'100,000 junk keys among the posts',
		'posts',
		'junk 99999',
		(doc) => {
			const map = doc.getMap('posts');
			for (let index = 0; index < 100_000; index++) map.set(`junk ${index}`, index);
		},
		/malformed id/
	]
];
