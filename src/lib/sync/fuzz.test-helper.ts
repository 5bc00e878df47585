// A seeded multi-peer fuzz of a space's doc: several peers, each a real
// Y.Doc, make edits through the doc layer's own write functions (posts,
// claims, status changes taken back, supplies, assets, links, members),
// while the network partitions and heals, delivers updates late, twice and
// out of order, peers restart from what they stored, carry bundles to each
// other, and hostile peers write junk, deep nesting, wrong types and forged
// future times. After a final full exchange every peer must hold the same
// doc and derive the same views (board, stock, links, unreadable records):
// `runScenario` says where they differ.
//
// Actions are plain data, so fast-check can shrink a failing list and print
// it. Each action names peers and records by small numbers taken modulo
// what exists when it runs, so any shrunk list still runs. Everything that
// is random at run time (record ids, Yjs client ids, bundle nonces) comes
// from the scenario's seed, and Date.now() reads the acting peer's clock, so
// a printed seed and list replay exactly.
//
// It lives with sync because it plays the network and the files between
// peers (bundles); the doc layer it drives sits below.
import fc from 'fast-check';
import * as Y from 'yjs';
import {
	newId,
	type ItemId,
	type LinkId,
	type MemberId,
	type PostId,
	type SiteId
} from '../domain/ids';
import { arrangeBoard, DEFAULT_FILTER, type BoardOrder } from '../domain/board';
import type { Entry, EntryKind } from '../domain/supplies';
import { liveLinks, RELATIONS, type Asset, type AssetKind } from '../domain/assets';
import { POST_STATUSES, URGENCIES, type PostRead } from '../domain/post';
import { byUnreadableOrder, type Read } from '../domain/read';
import { StockBook } from '../domain/stock';
import { CLOCK_SKEW_MS } from '../domain/time';
import { ORIGINS } from '../doc/roots';
import {
	createAsset,
	createLink,
	deleteAsset,
	deleteLink,
	readAllAssets,
	readBaseMaps,
	readLinks,
	updateAsset,
	assetsMap,
	assetLinksMap
} from '../doc/assets-doc';
import { deepNestingUpdate, junkKeysUpdate, receive } from '../doc/hostile.test-helper';
import { ROOTS, type RootName } from '../doc/roots';
import {
	claimPost,
	createPost,
	initSpace,
	postsMap,
	readAllPosts,
	readMembership,
	readMeta,
	renameSpace,
	setPostStatus,
	setPostStatusUndoably,
	unclaimPost,
	type Undoable,
	updatePost,
	upsertMember
} from '../doc/space-doc';
import {
	createItem,
	createSite,
	itemsMap,
	readEntries,
	readItems,
	readSites,
	recordCorrection,
	recordEntry,
	recordTransfer,
	setLowStock,
	sitesMap
} from '../doc/supplies-doc';

// ---------------------------------------------------------------- actions

const ENTRY_KINDS_USED = [
	'received',
	'distributed',
	'count',
	'expired',
	'damaged',
	'lost'
] as const;
const HOSTILE_KINDS = [
	'deep',
	'junk',
	'wrong-type',
	'bad-field',
	'future-post',
	'future-entry',
	'overwrite',
	'delete',
	'stray-root',
	'same-id'
] as const;
const RECORD_ROOTS = [
	'posts',
	'sites',
	'items',
	'entries',
	'assets',
	'assetLinks',
	'members'
] as const satisfies readonly RootName[];

export type Action =
	| { t: 'post'; peer: number; title: number; urgency: number }
	| { t: 'edit-post'; peer: number; pick: number; title: number }
	| { t: 'status'; peer: number; pick: number; status: number }
	| { t: 'end-post'; peer: number; pick: number; withdraw: boolean }
	| { t: 'undo'; peer: number; pick: number }
	| { t: 'claim'; peer: number; pick: number; note: number }
	| { t: 'unclaim'; peer: number; pick: number }
	| { t: 'site'; peer: number; name: number }
	| { t: 'item'; peer: number; name: number }
	| { t: 'entry'; peer: number; kind: number; site: number; item: number; quantity: number }
	| { t: 'transfer'; peer: number; item: number; from: number; to: number; quantity: number }
	| { t: 'correct'; peer: number; pick: number; count: number | null }
	| { t: 'low-stock'; peer: number; item: number; site: number; threshold: number | null }
	| { t: 'asset'; peer: number; name: number; kind: number }
	| { t: 'edit-asset'; peer: number; pick: number; name: number }
	| { t: 'delete-asset'; peer: number; pick: number }
	| { t: 'link'; peer: number; from: number; to: number; relation: number }
	| { t: 'unlink'; peer: number; pick: number }
	| { t: 'member'; peer: number; name: number }
	| { t: 'rename'; peer: number; name: number }
	| {
			t: 'hostile';
			peer: number;
			kind: (typeof HOSTILE_KINDS)[number];
			root: number;
			pick: number;
	  }
	| { t: 'deliver'; peer: number; pick: number; keep: boolean }
	| { t: 'deliver-all'; peer: number; reversed: boolean }
	| { t: 'sync'; a: number; b: number }
	| { t: 'partition'; groups: number[] }
	| { t: 'heal' }
	| { t: 'restart'; peer: number; from: 'log' | 'state' }
	| { t: 'bundle'; from: number; to: number; delta: boolean }
	| { t: 'tick'; minutes: number };

export interface Scenario {
	seed: number;
	/** Each peer's clock, ahead of (or behind) the world's, in minutes; 3,000 is two days ahead. */
	skews: number[];
	actions: Action[];
}

const small = fc.nat({ max: 40 });
const peer = fc.nat({ max: 7 });

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
	// Edits through the app's own writes: the bulk of every scenario.
	{
		weight: 8,
		arbitrary: fc.oneof(
			fc.record({
				t: fc.constant('post' as const),
				peer,
				title: small,
				urgency: fc.nat({ max: 3 })
			}),
			fc.record({ t: fc.constant('edit-post' as const), peer, pick: small, title: small }),
			fc.record({
				t: fc.constant('status' as const),
				peer,
				pick: small,
				status: fc.nat({ max: 3 })
			}),
			fc.record({
				t: fc.constant('end-post' as const),
				peer,
				pick: small,
				withdraw: fc.boolean()
			}),
			fc.record({ t: fc.constant('undo' as const), peer, pick: small }),
			fc.record({ t: fc.constant('claim' as const), peer, pick: small, note: small }),
			fc.record({ t: fc.constant('unclaim' as const), peer, pick: small }),
			fc.record({ t: fc.constant('site' as const), peer, name: small }),
			fc.record({ t: fc.constant('item' as const), peer, name: small }),
			fc.record({
				t: fc.constant('entry' as const),
				peer,
				kind: fc.nat({ max: ENTRY_KINDS_USED.length - 1 }),
				site: small,
				item: small,
				quantity: fc.integer({ min: 1, max: 60 })
			}),
			fc.record({
				t: fc.constant('transfer' as const),
				peer,
				item: small,
				from: small,
				to: small,
				quantity: fc.integer({ min: 1, max: 30 })
			}),
			fc.record({
				t: fc.constant('correct' as const),
				peer,
				pick: small,
				count: fc.option(fc.nat({ max: 80 }))
			}),
			fc.record({
				t: fc.constant('low-stock' as const),
				peer,
				item: small,
				site: small,
				threshold: fc.option(fc.nat({ max: 20 }))
			}),
			fc.record({
				t: fc.constant('asset' as const),
				peer,
				name: small,
				kind: fc.nat({ max: 4 })
			}),
			fc.record({ t: fc.constant('edit-asset' as const), peer, pick: small, name: small }),
			fc.record({ t: fc.constant('delete-asset' as const), peer, pick: small }),
			fc.record({
				t: fc.constant('link' as const),
				peer,
				from: small,
				to: small,
				relation: fc.nat({ max: RELATIONS.length - 1 })
			}),
			fc.record({ t: fc.constant('unlink' as const), peer, pick: small }),
			fc.record({ t: fc.constant('member' as const), peer, name: small }),
			fc.record({ t: fc.constant('rename' as const), peer, name: small })
		)
	},
	// The network and the devices.
	{
		weight: 5,
		arbitrary: fc.oneof(
			fc.record({ t: fc.constant('deliver' as const), peer, pick: small, keep: fc.boolean() }),
			fc.record({ t: fc.constant('deliver-all' as const), peer, reversed: fc.boolean() }),
			fc.record({ t: fc.constant('sync' as const), a: peer, b: peer }),
			fc.record({
				t: fc.constant('partition' as const),
				groups: fc.array(fc.nat({ max: 2 }), { minLength: 4, maxLength: 4 })
			}),
			fc.record({ t: fc.constant('heal' as const) }),
			fc.record({
				t: fc.constant('restart' as const),
				peer,
				from: fc.constantFrom('log' as const, 'state' as const)
			}),
			fc.record({ t: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 2000 }) })
		)
	},
	// A file carried between devices: rarer, as it is (and as it costs ~50 ms, in streams).
	{
		weight: 1,
		arbitrary: fc.record({
			t: fc.constant('bundle' as const),
			from: peer,
			to: peer,
			delta: fc.boolean()
		})
	},
	// A hostile (or badly broken) peer.
	{
		weight: 2,
		arbitrary: fc.record({
			t: fc.constant('hostile' as const),
			peer,
			kind: fc.constantFrom(...HOSTILE_KINDS),
			root: fc.nat({ max: RECORD_ROOTS.length - 1 }),
			pick: small
		})
	}
);

/** Scenarios of 2 to 4 peers and up to `maxActions` actions. */
export function scenarioArbitrary(maxActions = 60): fc.Arbitrary<Scenario> {
	return fc.record({
		seed: fc.nat(),
		skews: fc.array(fc.constantFrom(0, 0, -45, 20, 3000), { minLength: 2, maxLength: 4 }),
		actions: fc.array(actionArbitrary, { minLength: 1, maxLength: maxActions, size: 'max' })
	});
}

// ---------------------------------------------------------------- peers

/** The world's clock at the start: 2027, so "ahead" and "behind" are both real times. */
const START = Date.UTC(2027, 0, 1);
const REMOTE = 'fuzz:remote';
/** What Date.now() says while a scenario runs: the clock of the peer acting. */
let scenarioTime = START;

/** Live code riding along each peer's doc (the state models), to compare with fresh reads. */
export interface Attachment {
	/** What the attached code shows, in the shape of `projectForModels`. */
	views(): unknown;
}
export interface Riders {
	attach(doc: Y.Doc, member: MemberId): Attachment;
}

interface Peer {
	index: number;
	member: MemberId;
	doc: Y.Doc;
	attached: Attachment | null;
	group: number;
	/** Updates sent to this peer, not yet delivered. */
	inbox: Uint8Array[];
	/** What it stored, update by update, as y-indexeddb keeps it. */
	log: Uint8Array[];
	skew: number;
	restarts: number;
	/** Status changes this peer may still take back (the app's Undo offer). */
	undoables: Undoable[];
}

/** A small seeded PRNG (mulberry32): ids and client ids replay from the seed. */
function seededBytes(seed: number): (bytes: Uint8Array) => void {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return (bytes) => {
		for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(next() * 256);
	};
}

const site = (name: string) =>
	({ name, kind: 'depot', locationText: '', point: null, notes: '' }) as const;
const TITLES = ['Water', 'Blankets', 'Ride to clinic', 'Tarps', 'Diapers', 'Generator'];
const pickFrom = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
/** The `n`th of `list`, or null when it is empty. */
const nth = <T>(list: readonly T[], n: number): T | null =>
	list.length === 0 ? null : (list[n % list.length] as T);

class World {
	peers: Peer[];
	now = START;
	#clientIds = 1;
	#riders: Riders | undefined;

	constructor(skews: number[], riders?: Riders) {
		this.#riders = riders;
		this.peers = skews.map((skew, index) => {
			const member = `member-fuzz-${index}000` as MemberId;
			const peer: Peer = {
				index,
				member,
				doc: new Y.Doc(),
				attached: null,
				group: 0,
				inbox: [],
				log: [],
				skew: skew * 60_000,
				restarts: 0,
				undoables: []
			};
			this.#open(peer, []);
			return peer;
		});
		// One device made the space; everyone else got it from there.
		const first = this.peers[0] as Peer;
		const now = this.at(first);
		initSpace(first.doc, 'Eastside relief', now);
		// Two of each, so the first ledger entries and links have somewhere to go.
		for (const name of ['Depot', 'Shelter']) createSite(first.doc, site(name), now);
		for (const name of ['Water', 'Rice'])
			createItem(first.doc, { name, unit: 'L', category: 'water' }, now);
		for (const name of ['Nurse', 'Clinic'])
			createAsset(
				first.doc,
				{
					kind: 'skill',
					name,
					description: '',
					tags: [],
					availability: '',
					contact: '',
					locationText: '',
					place: { kind: 'none' }
				},
				first.member,
				now
			);
		for (const other of this.peers.slice(1)) this.apply(other, Y.encodeStateAsUpdate(first.doc));
		for (const other of this.peers) other.inbox = [];
	}

	/** A fresh doc for `peer` from what it stored, as reopening the app does. */
	#open(peer: Peer, stored: Uint8Array[]): void {
		this.at(peer);
		const doc = new Y.Doc();
		// A reopened doc is a new Yjs client, as in the app; numbered so runs replay.
		doc.clientID = this.#clientIds++ * 1000 + peer.index;
		for (const update of stored) Y.applyUpdate(doc, update, REMOTE);
		peer.doc = doc;
		peer.log = [...stored];
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			peer.log.push(update);
			// As y-webrtc: what this doc did (or merged from a file) goes to the peers it
			// reaches now; what came from the room is not sent back into it.
			if (origin === REMOTE) return;
			for (const other of this.peers)
				if (other !== peer && other.group === peer.group) other.inbox.push(update);
		});
		peer.attached = this.#riders ? this.#riders.attach(doc, peer.member) : null;
	}

	clock(peer: Peer): number {
		return this.now + peer.skew;
	}

	/** Act as `peer`: its clock is the time. */
	at(peer: Peer): number {
		const now = this.clock(peer);
		// What runs now (a model hearing an update, an undo) reads this peer's clock.
		scenarioTime = now;
		return now;
	}

	/** An update arriving at `peer` from the room. */
	apply(peer: Peer, update: Uint8Array): void {
		this.at(peer);
		Y.applyUpdate(peer.doc, update, REMOTE);
	}

	peer(n: number): Peer {
		return this.peers[n % this.peers.length] as Peer;
	}

	nextClientId(): number {
		return 900_000 + this.#clientIds++;
	}

	restart(peer: Peer, from: 'log' | 'state'): void {
		const stored = from === 'log' ? peer.log : [Y.encodeStateAsUpdate(peer.doc)];
		// Destroying the doc tears down the models built on it, as closing the app does.
		peer.doc.destroy();
		peer.restarts += 1;
		// Closing the space withdraws its Undo offers.
		peer.undoables = [];
		this.#open(peer, stored);
	}

	/** The sync handshake of two connected peers: each sends what the other lacks. */
	sync(a: Peer, b: Peer): void {
		const forB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
		const forA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc));
		this.apply(b, forB);
		this.apply(a, forA);
	}

	destroy(): void {
		for (const peer of this.peers) peer.doc.destroy();
	}
}

// ---------------------------------------------------------------- running

const ids = <T extends string>(map: Y.Map<unknown>, only?: (value: unknown) => boolean): T[] =>
	[...map.entries()]
		.filter(([, value]) => (only ? only(value) : true))
		.map(([key]) => key as T)
		.sort();
const isYMap = (value: unknown) => value instanceof Y.Map;

function withoutId(entry: Entry): Omit<Entry, 'id'> {
	const copy: Partial<Entry> = { ...entry };
	delete copy.id;
	return copy as Omit<Entry, 'id'>;
}

function validEntries(doc: Y.Doc): Entry[] {
	return readEntries(doc)
		.flatMap((read) => (read.ok ? [read.value] : []))
		.sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function run(world: World, action: Action): Promise<void> {
	switch (action.t) {
		case 'tick':
			world.now += action.minutes * 60_000;
			return;
		case 'heal':
			for (const peer of world.peers) peer.group = 0;
			return;
		case 'partition':
			world.peers.forEach((peer, index) => (peer.group = action.groups[index] ?? 0));
			return;
		case 'sync': {
			const a = world.peer(action.a);
			const b = world.peer(action.b);
			if (a !== b && a.group === b.group) world.sync(a, b);
			return;
		}
		case 'deliver': {
			const peer = world.peer(action.peer);
			if (peer.inbox.length === 0) return;
			const index = action.pick % peer.inbox.length;
			const update = peer.inbox[index] as Uint8Array;
			if (!action.keep) peer.inbox.splice(index, 1);
			world.apply(peer, update);
			return;
		}
		case 'deliver-all': {
			const peer = world.peer(action.peer);
			const inbox = action.reversed ? [...peer.inbox].reverse() : peer.inbox;
			peer.inbox = [];
			for (const update of inbox) world.apply(peer, update);
			return;
		}
		case 'restart':
			world.restart(world.peer(action.peer), action.from);
			return;
		case 'bundle': {
			const from = world.peer(action.from);
			const to = world.peer(action.to);
			if (from === to) return;
			// A file carried by hand: all of one peer's state, or what the other lacks.
			const since = action.delta ? Y.encodeStateVector(to.doc) : undefined;
			const file = Y.encodeStateAsUpdate(from.doc, since);
			world.at(to);
			Y.applyUpdate(to.doc, file, ORIGINS.bundle);
			return;
		}
		case 'hostile':
			runHostile(world, action);
			return;
		default:
			runEdit(world, action);
	}
}

/** An edit a person makes on `action.peer`, through the doc layer's writes. */
function runEdit(world: World, action: Action): void {
	if (!('peer' in action)) return;
	const peer = world.peer(action.peer);
	const { doc, member } = peer;
	const now = world.at(peer);
	const posts = () => ids<PostId>(postsMap(doc), isYMap);
	const sites = () => ids<SiteId>(sitesMap(doc));
	const items = () => ids<ItemId>(itemsMap(doc));
	const assets = () => ids<string>(assetsMap(doc), isYMap) as Asset['id'][];
	switch (action.t) {
		case 'post': {
			const id = newId<'PostId'>();
			createPost(
				doc,
				id,
				{
					kind: action.title % 2 ? 'need' : 'offer',
					title: pickFrom(TITLES, action.title),
					details: '',
					category: 'water',
					quantity: action.title,
					unit: 'L',
					urgency: pickFrom(URGENCIES, action.urgency),
					locationText: '',
					contact: '',
					expiresAt: action.title % 3 === 0 ? now + 3_600_000 : null
				},
				member,
				now
			);
			return;
		}
		case 'edit-post': {
			const id = nth(posts(), action.pick);
			if (id) updatePost(doc, id, { title: pickFrom(TITLES, action.title) }, now, member);
			return;
		}
		case 'status': {
			const id = nth(posts(), action.pick);
			if (id) setPostStatus(doc, id, pickFrom(POST_STATUSES, action.status), now, member);
			return;
		}
		case 'end-post': {
			const id = nth(posts(), action.pick);
			const status = action.withdraw ? 'withdrawn' : 'done';
			const undoable = id && setPostStatusUndoably(doc, id, status, now, member);
			if (undoable) peer.undoables.push(undoable);
			return;
		}
		case 'undo': {
			// Whether it may still undo (nobody changed the status since) is the doc layer's call.
			if (peer.undoables.length === 0) return;
			const [undoable] = peer.undoables.splice(action.pick % peer.undoables.length, 1);
			undoable?.undo();
			return;
		}
		case 'claim': {
			const id = nth(posts(), action.pick);
			if (id) claimPost(doc, id, member, { at: now, note: action.note % 2 ? 'on my way' : '' });
			return;
		}
		case 'unclaim': {
			const id = nth(posts(), action.pick);
			if (id) unclaimPost(doc, id, member);
			return;
		}
		case 'site':
			createSite(doc, site(`Site ${action.name}`), now);
			return;
		case 'item':
			createItem(doc, { name: `Item ${action.name}`, unit: 'box', category: 'food' }, now);
			return;
		case 'entry': {
			const site = nth(sites(), action.site);
			const item = nth(items(), action.item);
			if (!site || !item) return;
			const kind: EntryKind = pickFrom(ENTRY_KINDS_USED, action.kind);
			recordEntry(
				doc,
				{
					kind,
					site,
					item,
					quantity: action.quantity,
					expiresOn: kind === 'received' && action.quantity % 2 ? '2027-02-01' : null,
					batch: kind === 'received' ? `B${action.quantity % 3}` : ''
				},
				member,
				now
			);
			return;
		}
		case 'transfer': {
			const item = nth(items(), action.item);
			const from = nth(sites(), action.from);
			const to = nth(sites(), action.to);
			if (!item || !from || !to || from === to) return;
			recordTransfer(doc, { item, from, to, quantity: action.quantity }, member, now);
			return;
		}
		case 'correct': {
			const wrong = nth(validEntries(doc), action.pick);
			if (!wrong) return;
			const replacement =
				action.count === null
					? null
					: {
							kind: 'count' as const,
							item: wrong.item,
							site: wrong.site,
							quantity: action.count
						};
			recordCorrection(doc, wrong, replacement, member, now);
			return;
		}
		case 'low-stock': {
			const item = nth(items(), action.item);
			const site = nth(sites(), action.site);
			if (item && site) setLowStock(doc, item, site, action.threshold);
			return;
		}
		case 'asset':
			createAsset(
				doc,
				{
					kind: pickFrom<AssetKind>(
						['skill', 'association', 'institution', 'place', 'equipment'],
						action.kind
					),
					name: `Asset ${action.name}`,
					description: '',
					tags: action.name % 2 ? ['b', 'a'] : [],
					availability: '',
					contact: '',
					locationText: '',
					place: { kind: 'none' }
				},
				member,
				now
			);
			return;
		case 'edit-asset': {
			const id = nth(assets(), action.pick);
			if (id) updateAsset(doc, id, { name: `Asset ${action.name}` }, now);
			return;
		}
		case 'delete-asset': {
			const id = nth(assets(), action.pick);
			if (id) deleteAsset(doc, id);
			return;
		}
		case 'link': {
			const from = nth(assets(), action.from);
			const to = nth(assets(), action.to);
			if (from && to && from !== to)
				createLink(doc, from, pickFrom(RELATIONS, action.relation), to, member, now);
			return;
		}
		case 'unlink': {
			const id = nth(ids<LinkId>(assetLinksMap(doc)), action.pick);
			if (id) deleteLink(doc, id);
			return;
		}
		case 'member':
			upsertMember(doc, member, {
				name: `Peer ${peer.index} ${action.name}`,
				color: '#336699',
				joinedAt: now
			});
			return;
		case 'rename':
			renameSpace(doc, `Eastside ${action.name}`);
	}
}

/** What a hostile peer writes, arriving at `action.peer` (which passes it on like any update). */
function runHostile(world: World, action: Extract<Action, { t: 'hostile' }>): void {
	const peer = world.peer(action.peer);
	const { doc } = peer;
	const root = pickFrom(RECORD_ROOTS, action.root);
	const map = doc.getMap(ROOTS[root]);
	const now = world.at(peer);
	const someKey = nth(ids<string>(map), action.pick);
	const hostileKey = `hostile-${action.pick}-${world.nextClientId()}`;
	const write = (key: string, value: unknown) =>
		doc.transact(() => map.set(key, value), 'fuzz:hostile');
	switch (action.kind) {
		case 'deep':
			// Deep enough to pass every read bound; the full 5,000 is in hostile-doc tests.
			receive(
				doc,
				deepNestingUpdate(root, hostileKey, 40 + action.pick * 10, world.nextClientId())
			);
			return;
		case 'junk':
			receive(doc, junkKeysUpdate(root, 1 + action.pick));
			return;
		case 'wrong-type':
			write(
				hostileKey,
				pickFrom<unknown>([42, 'text', [1, 2], null, true, new Uint8Array([1, 2])], action.pick)
			);
			return;
		case 'bad-field': {
			// A record of the root's shape with one field of the wrong type or size.
			const record = new Y.Map<unknown>();
			record.set('name', action.pick % 2 ? 'x'.repeat(5000) : 7);
			record.set('title', { nested: true });
			record.set('kind', 'received');
			record.set('quantity', -1);
			write(hostileKey, root === 'entries' || root === 'assetLinks' ? { kind: 'x' } : record);
			return;
		}
		case 'future-post': {
			const at = action.pick % 2 ? 9e15 : now + CLOCK_SKEW_MS * 2;
			createPost(
				doc,
				hostileKey as PostId,
				{
					kind: 'need',
					title: 'Pinned forever',
					details: '',
					category: '',
					quantity: null,
					unit: '',
					urgency: 'critical',
					locationText: '',
					contact: '',
					expiresAt: null
				},
				peer.member,
				at
			);
			return;
		}
		case 'future-entry': {
			const site = nth(ids<SiteId>(sitesMap(doc)), action.pick);
			const item = nth(ids<ItemId>(itemsMap(doc)), action.pick);
			if (!site || !item) return;
			const at = action.pick % 2 ? 9e15 : now + CLOCK_SKEW_MS * 2;
			recordEntry(doc, { kind: 'count', site, item, quantity: 999 }, peer.member, at);
			return;
		}
		case 'overwrite':
			// An existing record's key, given other content: Yjs keeps one of the two writes.
			if (someKey) {
				const entry = nth(validEntries(doc), action.pick);
				write(
					someKey,
					root === 'entries' && entry
						? { ...withoutId(entry), quantity: entry.quantity + 1 }
						: { replaced: action.pick }
				);
			}
			return;
		case 'delete':
			// Deleting what the app never deletes (a ledger entry, a member).
			if (someKey) doc.transact(() => map.delete(someKey), 'fuzz:hostile');
			return;
		case 'stray-root':
			doc.transact(
				() => doc.getMap('nobody-reads-this').set(hostileKey, { x: action.pick }),
				'fuzz:hostile'
			);
			return;
		case 'same-id': {
			// Two records under one id from two "devices" at once: the second peer writes
			// the same key before the first's write reaches it.
			const other = world.peer(action.peer + 1);
			if (other === peer) return;
			const key = `dup-${action.pick}-record`;
			doc.transact(() => map.set(key, { from: peer.index }), 'fuzz:hostile');
			other.doc.transact(
				() => other.doc.getMap(ROOTS[root]).set(key, { from: other.index }),
				'fuzz:hostile'
			);
			return;
		}
	}
}

// ---------------------------------------------------------------- views

/**
 * Stable JSON: keys sorted. A post's claims and an item's thresholds keep
 * their keys in the order Yjs merged them on each peer, which differs; what
 * they say does not (the views sort claims by time).
 */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (inner instanceof Uint8Array) return `bytes:${[...inner].join(',')}`;
		if (inner === undefined || inner === null || typeof inner !== 'object' || Array.isArray(inner))
			return inner;
		return Object.fromEntries(
			Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))
		);
	});
}

const byId = <T extends { id: string }>(list: T[]) =>
	[...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const readsById = <T>(reads: Read<T>[]) =>
	byId(
		reads.map((read) =>
			read.ok ? { id: (read.value as { id: string }).id, read } : { id: read.id, read }
		)
	);
const unreadableOf = (reads: Iterable<{ ok: boolean }>) =>
	[...reads]
		.filter((read): read is { ok: false; id: string; problem: string } => !read.ok)
		.sort(byUnreadableOrder);

/** The stock the ledger gives as of `now`, per site and item, and what is held out. */
export function stockView(entries: Iterable<Entry>, now: number) {
	const book = StockBook.from(entries, now);
	return {
		cells: [...book.cells].sort((a, b) => (`${a.site}|${a.item}` < `${b.site}|${b.item}` ? -1 : 1)),
		ahead: [...book.aheadOfClock.keys()].sort()
	};
}

/** Everything the app reads from a doc, and derives from that, as of `now`. */
export function readViews(doc: Y.Doc, now: number) {
	const posts = readAllPosts(doc);
	const postReads: PostRead[] = [...posts.values()];
	const assets = readAllAssets(doc);
	const validAssets = new Map<string, Asset>();
	for (const [id, read] of assets) if (read.ok) validAssets.set(id, read.value);
	const links = readLinks(doc);
	const board = (order: BoardOrder) =>
		arrangeBoard(postReads, { ...DEFAULT_FILTER, status: 'all' }, order, now);
	return {
		meta: readMeta(doc),
		members: readMembership(doc),
		posts: [...posts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
		board: { urgency: board('urgency'), newest: board('newest'), updated: board('updated') },
		sites: readsById(readSites(doc)),
		items: readsById(readItems(doc)),
		entries: readsById(readEntries(doc)),
		stock: stockView(validEntries(doc), now),
		unreadableEntries: unreadableOf(readEntries(doc)),
		assets: [...assets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
		links: readsById(links),
		liveLinks: byId(
			liveLinks(
				links.flatMap((read) => (read.ok ? [read.value] : [])),
				validAssets
			)
		),
		unreadableAssets: unreadableOf([...assets.values(), ...links, ...readBaseMaps(doc)])
	};
}

// ---------------------------------------------------------------- the check

export interface Outcome {
	/** Where the peers differ after the final exchange; empty when they converged. */
	differences: string[];
	peers: number;
}

/**
 * Run `scenario`, then heal, deliver everything and let every pair sync;
 * returns where the peers (and, with `riders`, their live models) differ.
 */
export async function runScenario(scenario: Scenario, riders?: Riders): Promise<Outcome> {
	const realRandom = crypto.getRandomValues.bind(crypto);
	const fill = seededBytes(scenario.seed);
	crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
		if (array instanceof Uint8Array) fill(array);
		else if (array) realRandom(array);
		return array;
	}) as typeof crypto.getRandomValues;
	const realNow = Date.now;
	Date.now = () => scenarioTime;
	let world: World | null = null;
	try {
		world = new World(scenario.skews, riders);
		for (const action of scenario.actions) await run(world, action);
		return { differences: settleAndCompare(world), peers: world.peers.length };
	} finally {
		world?.destroy();
		Date.now = realNow;
		crypto.getRandomValues = realRandom as typeof crypto.getRandomValues;
	}
}

const SETTLE_SITE = 'settle-site-0001' as SiteId;
const SETTLE_ITEM = 'settle-item-0001' as ItemId;

function settleAndCompare(world: World): string[] {
	for (const peer of world.peers) peer.group = 0;
	// The end is a moment every clock has reached: all views are compared as of it.
	world.now += Math.max(0, ...world.peers.map((peer) => peer.skew));
	for (const peer of world.peers) peer.skew = 0;
	// One last ordinary entry, recorded then: a stock book lets in entries it held
	// for being dated ahead when it next takes entries, so every live book is
	// brought to this moment the way the app's would be.
	const [first] = world.peers as [Peer];
	recordEntry(
		first.doc,
		{ kind: 'received', site: SETTLE_SITE, item: SETTLE_ITEM, quantity: 1 },
		first.member,
		world.at(first)
	);
	for (const peer of world.peers) {
		for (const update of peer.inbox) world.apply(peer, update);
		peer.inbox = [];
	}
	// Everyone with everyone, twice: after the first round the last peer holds all.
	for (let round = 0; round < 2; round++)
		for (const a of world.peers) for (const b of world.peers) if (a !== b) world.sync(a, b);

	const differences: string[] = [];
	const now = world.now;
	const rest = world.peers.slice(1);
	const vector = (peer: Peer) => Y.encodeStateVector(peer.doc).join(',');
	const views = (peer: Peer) => readViews(peer.doc, now);
	const reference = views(first);
	const referenceText = canonical(reference);
	for (const peer of rest) {
		if (vector(peer) !== vector(first))
			differences.push(`peer ${peer.index}: state vector differs from peer 0`);
		if (peer.doc.store.pendingStructs || peer.doc.store.pendingDs)
			differences.push(`peer ${peer.index}: updates still pending`);
		const theirs = views(peer);
		if (canonical(theirs) !== referenceText)
			differences.push(`peer ${peer.index}: ${firstDifference(reference, theirs)}`);
	}
	for (const peer of world.peers) {
		if (!peer.attached) continue;
		const fresh = canonical(projectForModels(views(peer)));
		const live = canonical(peer.attached.views());
		if (live !== fresh)
			differences.push(
				`peer ${peer.index}: live models differ from a fresh read: ${firstDifference(JSON.parse(fresh), JSON.parse(live))}`
			);
	}
	return differences;
}

/** The part of `readViews` the live models show, in the shape `Attachment.views` gives. */
export function projectForModels(views: ReturnType<typeof readViews>) {
	return {
		posts: views.posts.map(([id, read]) => [id, read]),
		stock: views.stock,
		unreadableEntries: [
			...views.stock.ahead,
			...views.unreadableEntries.map((read) => read.id)
		].sort(),
		unreadableSupplyRecords: unreadableOf([...views.sites, ...views.items].map(({ read }) => read))
			.map((read) => read.id)
			.sort(),
		liveLinks: views.liveLinks,
		unreadableAssets: views.unreadableAssets.map((read) => read.id).sort()
	};
}

/** The first field where two views differ, for the failure message. */
function firstDifference(a: unknown, b: unknown): string {
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
		const one = canonical(left[key]) ?? 'nothing';
		const two = canonical(right[key]) ?? 'nothing';
		if (one !== two) return `${key}: ${one.slice(0, 400)} ≠ ${two.slice(0, 400)}`;
	}
	return 'views differ';
}

/** A short, replayable description of a scenario, for a failure message. */
export function describeScenario(scenario: Scenario): string {
	return [
		`seed ${scenario.seed}, clocks ${scenario.skews.join('/')} min`,
		...scenario.actions.map((action) => JSON.stringify(action))
	].join('\n  ');
}

// ---------------------------------------------------------------- running many

export interface FuzzSettings {
	runs: number;
	/** How long the test may take: long runs get a second a scenario. */
	timeout: number;
	/** fast-check's seed for the whole run (or the first seed of a sweep). */
	seed: number | undefined;
	/** Run each scenario from its own seed and go on past failures (npm run fuzz). */
	sweep: boolean;
}

/** How many scenarios, from the environment `npm run fuzz` sets; `runs` otherwise. */
export function fuzzSettings(runs: number): FuzzSettings {
	const env = process.env;
	const count = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : runs;
	return {
		runs: count,
		timeout: Math.max(600_000, count * 1000),
		seed: env.FUZZ_SEED ? Number(env.FUZZ_SEED) : undefined,
		sweep: env.FUZZ_SWEEP === '1'
	};
}

/** A failing scenario as it is told: its seed (to replay), the shrunk actions, and what differed. */
export interface Failure {
	seed: number;
	report: string;
}

const converges = (riders?: Riders) =>
	fc.asyncProperty(scenarioArbitrary(), async (scenario) => {
		const { differences } = await runScenario(scenario, riders);
		if (differences.length > 0)
			throw new Error(`${describeScenario(scenario)}\n${differences.join('\n')}`);
	});

/**
 * Scenarios from seeds `first`, `first + 1`, … one each, going on past a
 * failure; each failure is shrunk and kept with its seed (`--seed` replays it).
 */
export async function sweepScenarios(
	runs: number,
	first: number,
	riders?: Riders
): Promise<{ failures: Failure[]; seconds: number }> {
	const started = performance.now();
	const failures: Failure[] = [];
	for (let index = 0; index < runs; index++) {
		const seed = (first + index) | 0;
		const details = await fc.check(converges(riders), { seed, numRuns: 1 });
		if (details.failed)
			failures.push({ seed, report: String(details.errorInstance ?? details.counterexample) });
		// A long run says how far it got, so a stopped one still gives figures.
		if ((index + 1) % 1000 === 0)
			console.log(
				`fuzz: ${index + 1} scenarios, ${failures.length} failed, ${((performance.now() - started) / 1000).toFixed(0)} s`
			);
	}
	return { failures, seconds: (performance.now() - started) / 1000 };
}

/** Run `settings.runs` scenarios; returns a failure's report (seed and shrunk actions), or null. */
export async function fuzzScenarios(
	settings: FuzzSettings,
	riders?: Riders
): Promise<string | null> {
	if (settings.sweep) {
		const first = settings.seed ?? Date.now() % 1_000_000_000;
		const { failures, seconds } = await sweepScenarios(settings.runs, first, riders);
		console.log(
			[
				`fuzz: ${settings.runs} scenarios from seed ${first}, ${failures.length} failed, ${seconds.toFixed(1)} s`,
				...failures.map(
					({ seed, report }) =>
						`failed: seed ${seed} (replay: npm run fuzz -- --runs 1 --seed ${seed})\n  ${report}`
				)
			].join('\n')
		);
		return failures.length === 0 ? null : `seeds ${failures.map(({ seed }) => seed).join(', ')}`;
	}
	const details = await fc.check(converges(riders), {
		numRuns: settings.runs,
		seed: settings.seed
	});
	return details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : null;
}
