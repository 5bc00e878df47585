// Devices running the v2 engine over in-memory links, for tests. Each link is
// two ordered queues (a data channel is ordered and reliable); which queue
// delivers next, and when a device's delayed plan runs, is up to the test's
// random source, so one seed is one delivery order. Each device signs its own
// log with a real Ed25519 key and writes under its derived client id, and
// keeps what its engine is given in a store in memory, so it can restart:
// a new doc from the old one's state (as y-indexeddb would give it back), a
// new writer epoch, and a new engine loaded from the store.
import * as Y from 'yjs';
import type { ItemId, MemberId, PostId, SiteId } from '../../domain/ids';
import { createPost, initSpace, readAllPosts } from '../../doc/space-doc';
import { createItem, createSite } from '../../doc/supplies-doc';
import { clientId, signedEpoch } from './client-id';
import { EntryKind, NO_PREVIOUS, encodeEntry, hashEntry, type EntryHash } from './entry';
import {
	ENGINE_ORIGIN,
	SyncEngine,
	type EngineEvent,
	type EngineOptions,
	type EngineStore
} from './engine';
import { authorKey, type AuthorId } from './entry';
import { generateDeviceKey, signHead, type DeviceKey, type SignedHead } from './head';
import { encodeCheckpoint } from './checkpoint';
import type { Progress, StoredLog } from './log-store';
import { legacyContent, markSigned } from './legacy';
import { encodeMessage } from './messages';
import type { BundleTarget } from './log-bundle';

export const EPOCH = 1;
export const T0 = 1_700_000_000_000;

export interface AppendOptions {
	epoch?: number;
	kind?: EntryKind;
	time?: number;
}

interface MemoryLog {
	author: AuthorId;
	/** seq → entry, as LocalLog keys them. */
	entries: Map<number, Uint8Array>;
	signatures: Map<number, Uint8Array>;
	progress: Progress;
}

/** What LocalLog keeps, in memory: every log from 1 or its checkpoint, the heads held, the progress. */
export class MemoryStore implements EngineStore {
	readonly #logs = new Map<string, MemoryLog>();

	#log(author: AuthorId): MemoryLog {
		const key = authorKey(author);
		let log = this.#logs.get(key);
		if (!log) {
			log = {
				author,
				entries: new Map(),
				signatures: new Map(),
				progress: { applied: 0, stopped: null }
			};
			this.#logs.set(key, log);
		}
		return log;
	}

	async putRange(from: number, encoded: Uint8Array[], head: SignedHead): Promise<void> {
		const log = this.#log(head.author);
		for (const [i, bytes] of encoded.entries()) log.entries.set(from + i, bytes);
		log.signatures.set(head.seq, head.signature);
	}

	async dropAbove(author: AuthorId, length: number): Promise<void> {
		const log = this.#log(author);
		for (const seq of log.entries.keys()) if (seq > length) log.entries.delete(seq);
		for (const seq of log.signatures.keys()) if (seq > length) log.signatures.delete(seq);
	}

	async dropBelow(author: AuthorId, seq: number): Promise<void> {
		const log = this.#log(author);
		for (const at of log.entries.keys()) if (at < seq) log.entries.delete(at);
		for (const at of log.signatures.keys()) if (at < seq) log.signatures.delete(at);
	}

	/** Encoded entries held of `author` (what a device keeps on disk). */
	entriesOf(author: AuthorId): Map<number, Uint8Array> {
		return new Map(this.#log(author).entries);
	}

	async putProgress(author: AuthorId, progress: Progress): Promise<void> {
		this.#log(author).progress = { ...progress };
	}

	loadAll(): StoredLog[] {
		return [...this.#logs.values()].map((log) => {
			const first = Math.min(...log.entries.keys(), Infinity);
			const entries: Uint8Array[] = [];
			for (let seq = first; log.entries.has(seq); seq++) entries.push(log.entries.get(seq)!);
			return {
				author: log.author,
				first: Number.isFinite(first) ? first : 1,
				entries,
				signatures: new Map(log.signatures),
				progress: { ...log.progress }
			};
		});
	}
}

export class TestDevice {
	readonly name: string;
	readonly key: DeviceKey = generateDeviceKey();
	doc = new Y.Doc();
	engine: SyncEngine;
	epoch = EPOCH;
	readonly store = new MemoryStore();
	readonly #options: EngineOptions;
	readonly events: EngineEvent[] = [];
	/** This device's own log, as it signed it. */
	readonly entries: Uint8Array[] = [];
	readonly hashes: EntryHash[] = [];
	readonly heads: SignedHead[] = [];
	/** Set false to write without logging (a hostile device hand-crafting its entries). */
	logging = true;

	constructor(name: string, network: TestNetwork, options: EngineOptions = {}) {
		this.name = name;
		this.#options = {
			now: () => network.now,
			schedule: (task) => network.later(task),
			random: network.random,
			onEvent: (event) => this.events.push(event),
			store: this.store,
			...options
		};
		this.engine = this.#start();
	}

	#start(): SyncEngine {
		this.epoch = signedEpoch(this.key.author, this.epoch);
		this.doc.clientID = clientId(this.key.author, this.epoch);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== ENGINE_ORIGIN && this.logging) this.append(update);
		});
		return new SyncEngine(this.doc, this.#options);
	}

	/** Close and open again: the doc as its store kept it, the engine from the kept logs. */
	restart(): void {
		const state = Y.encodeStateAsUpdate(this.doc);
		this.doc.destroy();
		this.doc = new Y.Doc();
		Y.applyUpdate(this.doc, state, 'storage');
		this.epoch += 1;
		this.engine = this.#start();
		this.engine.load(this.store.loadAll());
	}

	/** Sign `body` as the next entry of this device's log and give it to the engine. */
	append(body: Uint8Array, options: AppendOptions = {}): { encoded: Uint8Array; head: SignedHead } {
		const signed = this.sign(body, options);
		// As LocalLog.append keeps it, before the engine hears of it.
		void this.store.putRange(signed.head.seq, [signed.encoded], signed.head);
		this.engine.addOwn(signed.encoded, signed.head);
		return signed;
	}

	/** Compact this device's log: a checkpoint of its entries held, appended like an edit. */
	compact(): { encoded: Uint8Array; head: SignedHead } {
		const checkpoint = this.engine.checkpointOf(this.key.author);
		if (!checkpoint) throw new Error(`${this.name} has nothing to compact`);
		return this.append(encodeCheckpoint(checkpoint), { kind: EntryKind.checkpoint });
	}

	/** Sign the next entry without giving it to the engine (to send by hand). */
	sign(body: Uint8Array, options: AppendOptions = {}) {
		const seq = this.entries.length + 1;
		const encoded = encodeEntry({
			seq,
			prev: this.hashes.at(-1) ?? NO_PREVIOUS,
			kind: options.kind ?? EntryKind.edit,
			epoch: options.epoch ?? this.epoch,
			time: options.time ?? T0 + seq,
			body
		});
		const hash = hashEntry(this.key.author, encoded);
		const head = signHead(this.key, seq, hash);
		this.entries.push(encoded);
		this.hashes.push(hash);
		this.heads.push(head);
		return { encoded, head };
	}

	/**
	 * Sign `one` as the next entry, then `other` under the same seq: a fork,
	 * as a hostile device makes one. Only the second stays in this log.
	 */
	signFork(one: Uint8Array, other: Uint8Array) {
		const first = this.sign(one);
		this.entries.pop();
		this.hashes.pop();
		this.heads.pop();
		return [first, this.sign(other)] as const;
	}

	refusals() {
		return this.events.filter((event) => event.type === 'refused');
	}

	misbehaviour() {
		return this.events.filter((event) => event.type === 'misbehaved');
	}
}

interface Queue {
	from: TestDevice;
	to: TestDevice;
	messages: Uint8Array[];
}

export class TestNetwork {
	now = T0 + 1000;
	readonly random: () => number;
	readonly devices: TestDevice[] = [];
	readonly #queues = new Map<string, Queue>();
	#tasks: (() => void)[] = [];
	/** Return true to lose a message in flight (counted as sent, never delivered). */
	lose: ((from: TestDevice, to: TestDevice, bytes: Uint8Array) => boolean) | null = null;
	/** Messages and bytes sent over every link, by sender→receiver. */
	readonly sent = new Map<string, { messages: number; bytes: number }>();

	constructor(random: () => number = Math.random) {
		this.random = random;
	}

	device(name: string, options: EngineOptions = {}): TestDevice {
		const device = new TestDevice(name, this, options);
		this.devices.push(device);
		return device;
	}

	later(task: () => void): void {
		this.#tasks.push(task);
	}

	connected(a: TestDevice, b: TestDevice): boolean {
		return this.#queues.has(`${a.name}>${b.name}`);
	}

	connect(a: TestDevice, b: TestDevice): void {
		if (a === b || this.connected(a, b)) return;
		for (const [from, to] of [
			[a, b],
			[b, a]
		] as const) {
			const id = `${from.name}>${to.name}`;
			const queue: Queue = { from, to, messages: [] };
			this.#queues.set(id, queue);
			from.engine.addLink({
				id: to.name,
				send: (bytes) => {
					if (!this.lose?.(from, to, bytes)) queue.messages.push(bytes);
					const count = this.sent.get(id) ?? { messages: 0, bytes: 0 };
					count.messages += 1;
					count.bytes += bytes.length;
					this.sent.set(id, count);
				}
			});
		}
	}

	/** Restart a device: its links close first. */
	restart(device: TestDevice): void {
		for (const other of this.devices)
			if (this.connected(device, other)) this.disconnect(device, other);
		device.restart();
	}

	/** Close the link: both ends forget it and what was in flight is lost. */
	disconnect(a: TestDevice, b: TestDevice): void {
		this.#queues.delete(`${a.name}>${b.name}`);
		this.#queues.delete(`${b.name}>${a.name}`);
		a.engine.removeLink(b.name);
		b.engine.removeLink(a.name);
	}

	/**
	 * Deliver one message from a link chosen at random; once nothing is in
	 * flight, run one delayed task (a delay is long next to a message's trip).
	 * False when idle.
	 */
	step(): boolean {
		const busy = [...this.#queues.values()].filter((queue) => queue.messages.length > 0);
		if (busy.length === 0) {
			if (this.#tasks.length === 0) return false;
			const index = Math.floor(this.random() * this.#tasks.length);
			const [task] = this.#tasks.splice(index, 1);
			task!();
			return true;
		}
		const queue = busy[Math.floor(this.random() * busy.length)]!;
		queue.to.engine.receive(queue.from.name, queue.messages.shift()!);
		return true;
	}

	/** Deliver until nothing is in flight. */
	settle(maxSteps = 1_000_000): number {
		let steps = 0;
		while (this.step()) if (++steps > maxSteps) throw new Error('the network never settled');
		return steps;
	}

	/** Let time pass: every device ticks (anti-entropy, stalls), then deliver. */
	tick(ms = 20_000): void {
		this.now += ms;
		for (const device of this.devices) device.engine.tick();
		this.settle();
	}

	/** Sum of messages and bytes sent to `to` (or by `from`). */
	traffic(filter: { to?: TestDevice; from?: TestDevice } = {}) {
		let messages = 0;
		let bytes = 0;
		for (const [id, count] of this.sent) {
			const [from, to] = id.split('>');
			if (filter.to && to !== filter.to.name) continue;
			if (filter.from && from !== filter.from.name) continue;
			messages += count.messages;
			bytes += count.bytes;
		}
		return { messages, bytes };
	}
}

/** A small seeded random source (mulberry32), so a failing order can be replayed. */
export function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const MEMBER = 'member-ana-0001' as MemberId;

/** A post's fields as the app writes them; tests change the title. */
export const POST_FIELDS = {
	kind: 'need' as const,
	title: 'Tarps',
	details: '',
	category: 'shelter',
	quantity: null,
	unit: '',
	urgency: 'normal' as const,
	locationText: '',
	contact: '',
	expiresAt: null
};

/** Write a space's description, a depot site and an item (water) into `doc`, in one change. */
export function depotSpace(doc: Y.Doc): { site: SiteId; item: ItemId } {
	let site = '' as SiteId;
	let item = '' as ItemId;
	doc.transact(() => {
		initSpace(doc, 'Shelter', 1);
		site = createSite(
			doc,
			{ name: 'Depot', kind: 'depot', locationText: '', point: null, notes: '' },
			1
		);
		item = createItem(doc, { name: 'Water', unit: 'L', category: 'water' }, 1);
	});
	return { site, item };
}

/** Write a post into `doc` the way the app does. */
export function writePost(doc: Y.Doc, id: string, title = id, details = ''): void {
	createPost(doc, id as PostId, { ...POST_FIELDS, title, details }, MEMBER, 1);
}

/** The titles of the readable posts a device holds, sorted. */
export function postTitles(device: TestDevice): string[] {
	return [...readAllPosts(device.doc).values()]
		.flatMap((read) => (read.ok ? [read.post.title] : []))
		.sort();
}

/** A Yjs update written by a doc of its own under `client`, on top of `base`. */
export function craftUpdate(base: Y.Doc, client: number, change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	// Set after the copy: Yjs gives a doc a new id when an update brings in its own.
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
	doc.clientID = client;
	const before = Y.encodeStateVector(doc);
	change(doc);
	return Y.encodeStateAsUpdate(doc, before);
}

/** Hand `to` signed entries of `author` as if its own link `linkId` sent them. */
export function handEntries(
	to: TestDevice,
	linkId: string,
	author: AuthorId,
	signed: { encoded: Uint8Array; head: SignedHead }[]
): void {
	to.engine.addLink({ id: linkId, send: () => {} });
	to.engine.receive(
		linkId,
		encodeMessage({
			type: 'entries',
			author,
			head: signed.at(-1)!.head,
			entries: signed.map((entry) => entry.encoded)
		})
	);
}

/** A device whose doc holds what it had before v2 (as y-indexeddb gives it back), no logs yet. */
export function holdBeforeV2(device: TestDevice, old: Y.Doc): void {
	device.logging = false;
	Y.applyUpdate(device.doc, Y.encodeStateAsUpdate(old), 'storage');
	device.logging = true;
}

/** What SignedSync.openSpace does for a space made before v2: import it, then mark it signed. */
export function migrateDevice(device: TestDevice): void {
	const content = legacyContent(device.doc);
	if (!content.ok) throw new Error(content.problem);
	device.append(content.update, { kind: EntryKind.legacyImport });
	markSigned(device.doc);
}

/** A test device as bundles see a space's signed sync: its engine, and its events as they come. */
export function bundleTarget(device: TestDevice): BundleTarget {
	return {
		engine: device.engine,
		listen: (listener) => {
			const start = device.events.length;
			return () => device.events.slice(start).forEach(listener);
		},
		// A test device logs each change at once: nothing waits.
		flush: async () => {}
	};
}
