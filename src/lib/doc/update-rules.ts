// What one device's Yjs update would do to a space, judged before it is
// applied: accepted (with the records it touches), held until what it refers
// to has arrived, or refused with a reason. Sync protocol v2 runs the body of
// every log entry through here (docs/sync-protocol.md, "Rules every peer
// enforces", rules 2 and 3); the log layer checks signatures, chains, sizes
// and forks. This module knows the doc's shape — which roots hold facts that
// never change — and nothing about keys, logs or links.
//
// A judgement depends only on the update and on the items it refers to, never
// on what else happens to be in the doc, so every honest peer judges an update
// the same way whatever order things arrive in. That is why a fact (a supply
// ledger entry) has to live under the key its own Yjs item id names
// (`factKey`): no second item can then ever claim the same key, so "was this
// key written before?" never has to be asked.
import * as Y from 'yjs';
import { isLegacyClient } from '../domain/writers';
import { factKey } from './fact-key';
import { ROOTS } from './roots';
import { ReadGC, ReadItem, readUpdate, type ReadUpdate } from './update-reader';

/** Roots whose records are facts: written once, never changed, never deleted. */
const FACT_ROOTS: ReadonlySet<string> = new Set([ROOTS.entries]);

/** The form factKey (fact-key.ts) gives, with the client id it names. */
const FACT_KEY_FORM = /^f-([0-9a-z]{11})-[0-9a-z]+$/;

/** Whether `key` is a fact key naming an item of a signed log (not of legacy content). */
function namesSignedItem(key: string | null): boolean {
	const client = key === null ? null : FACT_KEY_FORM.exec(key)?.[1];
	return client !== undefined && client !== null && !isLegacyClient(parseInt(client, 36));
}

/** How far up nested types a record is looked for; deeper is read as hostile. */
const MAX_NESTING = 10_000;

/** One record an update touches: its root map and key, and how. */
export interface RecordChange {
	root: string;
	key: string;
	/** `set`: the record's value was written; `edit`: something inside it; `delete`: removed. */
	change: 'set' | 'edit' | 'delete';
}

/**
 * Why an update is refused: it cannot be read (or uses a form no honest
 * device sends), writes under another device's id, changes or deletes a fact,
 * or passes off as content from before signed logs what is not (`legacy-forged`).
 */
export type UpdateRefusal =
	'unreadable' | 'other-writer' | 'fact-changed' | 'fact-deleted' | 'legacy-forged';

export type Judgement =
	| { verdict: 'accept'; changes: RecordChange[] }
	/** It refers to something the doc lacks: judge it again once `waitingFor` has arrived. */
	| { verdict: 'hold'; waitingFor: Y.ID }
	| { verdict: 'refuse'; reason: UpdateRefusal };

/**
 * Where an item sits, in a root map or inside the type held by another
 * item: `parent` is a root map's name, or the id of the item whose type
 * holds it; `parentSub` its key there. An update's item that says
 * where it sits is its own place (no object made for each of hundreds of thousands).
 */
interface Place {
	readonly parent: string | Y.ID;
	readonly parentSub: string | null;
}

/** The root-map record an item belongs to: one object per record, shared by all its items. */
type RecordOf = { root: string; key: string | null; id: string };

/** Per change kind, which one a record's change says when an update does several. */
const RANK = { edit: 0, set: 1, delete: 2 } as const;

/** An item as the judge reads it: from the doc, from Yjs's reading, or from update-reader.ts. */
type JudgedItem = Y.Item | ReadItem;
type JudgedStruct = JudgedItem | Y.GC | ReadGC;

function isItem(struct: unknown): struct is JudgedItem {
	return struct instanceof ReadItem || struct instanceof Y.Item;
}

/** Whether an item's content is a value written with `set` (ContentAny). */
function holdsAny(item: JudgedItem): boolean {
	return item instanceof ReadItem ? item.isAny : item.content instanceof Y.ContentAny;
}

/** The struct holding `id`, among structs of one client sorted by clock. */
function structAt<S extends { id: Y.ID; length: number }>(
	structs: S[],
	clock: number
): S | undefined {
	let low = 0;
	let high = structs.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const struct = structs[middle]!;
		if (clock < struct.id.clock) high = middle - 1;
		else if (clock >= struct.id.clock + struct.length) low = middle + 1;
		else return struct;
	}
	return undefined;
}

/** Where an item sits by its own parent info, or null when the update left it out. */
function ownPlace(item: JudgedItem): Place | null {
	const parent: unknown = item.parent;
	// update-reader.ts gives a root's name, an id, or null.
	if (item instanceof ReadItem) return parent === null ? null : (item as Place);
	if (typeof parent === 'string') return { parent, parentSub: item.parentSub };
	if (parent instanceof Y.ID) return { parent, parentSub: item.parentSub };
	if (parent instanceof Y.AbstractType) {
		// An item already in the doc: its parent type is live.
		const type = parent as Y.AbstractType<unknown>;
		return type._item
			? { parent: type._item.id, parentSub: item.parentSub }
			: { parent: Y.findRootTypeKey(type), parentSub: item.parentSub };
	}
	return null;
}

function rootRecord(root: string, key: string | null): RecordOf {
	return { root, key, id: `${root}\u0000${key}` };
}

class Missing {
	constructor(readonly id: Y.ID) {}
}
class Refused {
	constructor(readonly reason: UpdateRefusal) {}
}

/**
 * Judge `update` against `doc`. `writer` is the Yjs client id the author may
 * write under (derived from its key and epoch), the set of them for a
 * checkpoint (which holds the author's writes of many epochs), or `legacy` for
 * content from before signed logs (docs/sync-protocol.md, "Migrating"): any
 * client ids of the legacy range, facts under keys of their own choosing (as
 * they were kept then), and otherwise the same rules: a ledger entry is never
 * changed or deleted, by old content either. Legacy content may neither be
 * written under, refer to, nor delete anything under a signed log's id, nor
 * claim a key only signed facts have: whatever it holds, it cannot reach into
 * what was signed.
 */
export function judgeUpdate(
	doc: Y.Doc,
	update: Uint8Array,
	writer: number | ReadonlySet<number> | 'legacy'
): Judgement {
	// The quick reading where it can; where it gives up, Yjs's own (which may refuse it).
	let decoded: ReadUpdate | ReturnType<typeof Y.decodeUpdate> | null = readUpdate(update);
	if (!decoded) {
		try {
			decoded = Y.decodeUpdate(update);
		} catch {
			return { verdict: 'refuse', reason: 'unreadable' };
		}
	}
	try {
		return { verdict: 'accept', changes: new Judge(doc, decoded, writer === 'legacy').run(writer) };
	} catch (outcome) {
		if (outcome instanceof Missing) return { verdict: 'hold', waitingFor: outcome.id };
		if (outcome instanceof Refused) return { verdict: 'refuse', reason: outcome.reason };
		// Anything else the update made the reading stumble on: a hostile form.
		return { verdict: 'refuse', reason: 'unreadable' };
	}
}

/** A run of one client's clocks. */
export interface ClockRange {
	client: number;
	clock: number;
	len: number;
}

/** A struct of content from before signed logs that changed a ledger entry. */
export interface ChangedFact extends ClockRange {
	/**
	 * Its entry's key when it is a value written over the entry's earlier one
	 * (which it can stand in for, as a first write); null when it is
	 * anything else (a deleted value, something put inside an entry).
	 */
	overwrote: string | null;
}

/** What content from before signed logs must mend to be accepted (see legacyOffences). */
export interface LegacyOffences {
	changed: ChangedFact[];
	/** Ledger entries' structs that were deleted. */
	deleted: ClockRange[];
}

/**
 * Which parts of `update`, content from before signed logs, every peer would
 * refuse for changing or deleting a supply ledger entry: before signatures a
 * hostile device could, and every device then kept it. Null when it is
 * refused or held for anything else (which leaving parts out cannot mend).
 */
export function legacyOffences(update: Uint8Array): LegacyOffences | null {
	const decoded = readUpdate(update);
	if (!decoded) return null;
	const offences: LegacyOffences = { changed: [], deleted: [] };
	try {
		new Judge(new Y.Doc(), decoded, true, offences).run('legacy');
		return offences;
	} catch {
		return null;
	}
}

class Judge {
	#doc: Y.Doc;
	#structs: (JudgedStruct | Y.Skip)[];
	#deletes: Map<number, { clock: number; len: number }[]>;
	/** This update's own structs, by client, sorted by clock. */
	#fresh = new Map<number, JudgedStruct[]>();
	#places = new Map<JudgedItem, Place | null>();
	#records = new Map<JudgedItem, RecordOf | null>();
	#changes = new Map<string, RecordChange>();

	/** Legacy content: any ids of the legacy range, facts under keys of their own (see judgeUpdate). */
	#legacy: boolean;
	/** Where given, changes and deletions of facts are listed here instead of refused. */
	#offences: LegacyOffences | undefined;

	constructor(
		doc: Y.Doc,
		decoded: ReadUpdate | ReturnType<typeof Y.decodeUpdate>,
		legacy: boolean,
		offences?: LegacyOffences
	) {
		this.#legacy = legacy;
		this.#offences = offences;
		this.#doc = doc;
		this.#structs = decoded.structs;
		this.#deletes = decoded.ds.clients;
	}

	run(writer: number | ReadonlySet<number> | 'legacy'): RecordChange[] {
		for (const struct of this.#structs) {
			// A Skip is a hole in a merged update; one device's own changes have none.
			if (struct instanceof Y.Skip) throw new Refused('unreadable');
			const client = struct.id.client;
			const own =
				writer === 'legacy' ||
				(typeof writer === 'number' ? client === writer : writer.has(client));
			if (!own) throw new Refused('other-writer');
			if (writer === 'legacy' && !isLegacyClient(client)) throw new Refused('legacy-forged');
			const list = this.#fresh.get(client);
			if (list) list.push(struct);
			else this.#fresh.set(client, [struct]);
		}
		for (const [client, list] of this.#fresh) {
			// Structs follow on from what the doc has: a gap is an earlier change not yet here.
			const known = Y.getState(this.#doc.store, client);
			if (list[0]!.id.clock > known) throw new Missing(Y.createID(client, known));
		}
		for (const struct of this.#structs) if (isItem(struct)) this.#judgeItem(struct);
		for (const [client, ranges] of this.#deletes)
			for (const { clock, len } of ranges) this.#judgeDelete(client, clock, len);
		return [...this.#changes.values()];
	}

	/** The item holding `id`, from the doc or this update; null when the doc only has it collected. */
	#item(id: Y.ID): JudgedItem | null {
		const fresh = this.#fresh.get(id.client);
		const own = fresh && structAt(fresh, id.clock);
		if (own) return isItem(own) ? own : null;
		if (id.clock >= Y.getState(this.#doc.store, id.client)) throw new Missing(id);
		const inDoc = structAt(this.#doc.store.clients.get(id.client) ?? [], id.clock);
		return inDoc instanceof Y.Item ? inDoc : null;
	}

	/** This judgement's scratch on an item of the update (see ReadItem.judgedBy). */
	#scratch(item: ReadItem): ReadItem {
		if (item.judgedBy !== this) {
			item.judgedBy = this;
			item.place = undefined;
			item.record = undefined;
		}
		return item;
	}

	#knownPlace(item: JudgedItem): Place | null | undefined {
		return item instanceof ReadItem
			? (this.#scratch(item).place as Place | null | undefined)
			: this.#places.get(item);
	}

	#keepPlace(item: JudgedItem, place: Place | null): void {
		if (item instanceof ReadItem) this.#scratch(item).place = place;
		else this.#places.set(item, place);
	}

	#knownRecord(item: JudgedItem): RecordOf | null | undefined {
		return item instanceof ReadItem
			? (this.#scratch(item).record as RecordOf | null | undefined)
			: this.#records.get(item);
	}

	#keepRecord(item: JudgedItem, record: RecordOf | null): void {
		if (item instanceof ReadItem) this.#scratch(item).record = record;
		else this.#records.set(item, record);
	}

	/** Where `item` sits; null when it hangs off collected content (Yjs drops it). */
	#place(item: JudgedItem): Place | null {
		const known = this.#knownPlace(item);
		if (known !== undefined) return known;
		// Most items say where they sit.
		const own = ownPlace(item);
		if (own) {
			this.#keepPlace(item, own);
			return own;
		}
		// Walked iteratively: a field overwritten 10,000 times is a chain of
		// neighbours that long, and a verdict must not depend on the stack size.
		const chain: JudgedItem[] = [];
		let place: Place | null = null;
		for (let at: JudgedItem | null = item; at;) {
			const cached = this.#knownPlace(at);
			if (cached !== undefined) {
				place = cached;
				break;
			}
			chain.push(at);
			// Only this update's items lack parent info, so a longer chain loops.
			if (chain.length > this.#structs.length + 1) throw new Refused('unreadable');
			const own = ownPlace(at);
			if (own) {
				place = own;
				break;
			}
			// Parent info left out: the item sits beside its left (or right) neighbour.
			const neighbour: Y.ID | null = at.origin ?? at.rightOrigin;
			at = neighbour ? this.#item(neighbour) : null;
		}
		for (const link of chain) this.#keepPlace(link, place);
		return place;
	}

	/** The root-map record `item` belongs to (null when none: collected, or put in no record). */
	#record(item: JudgedItem): RecordOf | null {
		const known = this.#knownRecord(item);
		if (known !== undefined) return known;
		// Most items sit in a root map, or in a type whose record is known already.
		const place = this.#place(item);
		if (place && typeof place.parent === 'string') {
			const found = rootRecord(place.parent, place.parentSub);
			this.#keepRecord(item, found);
			return found;
		}
		if (place) {
			const parent = this.#item(place.parent as Y.ID);
			const found = parent ? this.#knownRecord(parent) : null;
			if (found !== undefined) {
				this.#keepRecord(item, found);
				return found;
			}
		}
		// Walk up iteratively (nesting can be thousands deep), remembering each type's record.
		const chain: JudgedItem[] = [];
		let found: RecordOf | null = null;
		let at: JudgedItem | null = item;
		while (at) {
			const cached = this.#knownRecord(at);
			if (cached !== undefined) {
				found = cached;
				break;
			}
			chain.push(at);
			if (chain.length > MAX_NESTING) throw new Refused('unreadable');
			const place = this.#place(at);
			if (place && typeof place.parent === 'string') {
				found = rootRecord(place.parent, place.parentSub);
				break;
			}
			at = place ? this.#item(place.parent as Y.ID) : null;
		}
		// Every item on the way up belongs to the same record.
		for (const link of chain) this.#keepRecord(link, found);
		return found;
	}

	/** Whether `item` is its record's own value (it sits in a root map), not something inside it. */
	#isRecordValue(item: JudgedItem): boolean {
		const place = this.#place(item);
		return place !== null && typeof place.parent === 'string';
	}

	#note(record: RecordOf, change: RecordChange['change']): void {
		// A value put into a root map without a key is invisible to every reader.
		if (record.key === null) return;
		const before = this.#changes.get(record.id);
		if (!before || RANK[change] > RANK[before.change])
			this.#changes.set(record.id, { root: record.root, key: record.key, change });
	}

	#judgeItem(item: JudgedItem): void {
		if (this.#legacy) this.#stayLegacy(item);
		if (item.origin) this.#item(item.origin);
		if (item.rightOrigin) this.#item(item.rightOrigin);
		const record = this.#record(item);
		if (!record) return;
		const own = this.#isRecordValue(item);
		// A fact named by a signed log's item is a signed fact: old content taking
		// its key would stand beside (and could hide) it.
		if (this.#legacy && FACT_ROOTS.has(record.root) && own && namesSignedItem(record.key))
			throw new Refused('legacy-forged');
		if (FACT_ROOTS.has(record.root)) {
			const firstWrite =
				own &&
				// Facts from before signed logs have keys of their own choosing.
				(this.#legacy || record.key === factKey(item.id)) &&
				item.origin === null &&
				item.rightOrigin === null &&
				holdsAny(item);
			if (!firstWrite) {
				if (!this.#offences) throw new Refused('fact-changed');
				const { client, clock } = item.id;
				const overwrote = own && holdsAny(item) ? record.key : null;
				this.#offences.changed.push({ client, clock, len: item.length, overwrote });
				return;
			}
		}
		this.#note(record, own ? 'set' : 'edit');
	}

	/** Legacy content sits beside and inside legacy content only (judged by ids alone). */
	#stayLegacy(item: JudgedItem): void {
		const parent: unknown = item.parent;
		const refers = [item.origin, item.rightOrigin, parent instanceof Y.ID ? parent : null];
		for (const id of refers)
			if (id && !isLegacyClient(id.client)) throw new Refused('legacy-forged');
	}

	#judgeDelete(client: number, clock: number, len: number): void {
		if (this.#legacy && !isLegacyClient(client)) throw new Refused('legacy-forged');
		const end = clock + len;
		const fresh = this.#fresh.get(client) ?? [];
		const freshEnd = fresh.length ? fresh.at(-1)!.id.clock + fresh.at(-1)!.length : 0;
		const known = Math.max(Y.getState(this.#doc.store, client), freshEnd);
		if (end > known) throw new Missing(Y.createID(client, known));
		const inDoc = this.#doc.store.clients.get(client) ?? [];
		for (const structs of [inDoc, fresh]) {
			let at = Math.max(clock, structs[0]?.id.clock ?? end);
			while (at < end) {
				const struct = structAt<{ id: Y.ID; length: number }>(structs, at);
				if (!struct) break;
				if (isItem(struct)) {
					const record = this.#record(struct);
					if (record && FACT_ROOTS.has(record.root)) {
						if (!this.#offences) throw new Refused('fact-deleted');
						const { client, clock } = struct.id;
						this.#offences.deleted.push({ client, clock, len: struct.length });
					} else if (record) this.#note(record, this.#isRecordValue(struct) ? 'delete' : 'edit');
				}
				at = struct.id.clock + struct.length;
			}
		}
	}
}
