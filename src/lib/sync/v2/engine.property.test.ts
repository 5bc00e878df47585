// Devices running the v2 engine over random topologies, partitions,
// restarts, compactions and delivery orders, with a hostile member among
// them (who also tries legacy imports), and spaces made before v2 that two
// devices migrate: however things arrive,
// once every device is linked again they all hold the same doc and have
// refused the same entries of the same author. fast-check shrinks a failure
// to a short script; its seed replays it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { PostId } from '../../domain/ids';
import { updatePost } from '../../doc/space-doc';
import { entriesMap, recordEntry } from '../../doc/supplies-doc';
import { authorKey } from './entry';
import { EntryKind } from './entry';
import {
	depotSpace,
	MEMBER,
	TestNetwork,
	craftUpdate,
	holdBeforeV2,
	migrateDevice,
	seeded,
	writePost,
	type TestDevice
} from './network.test-helper';

const DEVICES = 5;
/** The last device is hostile: it overwrites and deletes ledger entries. */
const MALLORY = DEVICES - 1;

type Step =
	| { op: 'post'; device: number }
	| { op: 'edit'; device: number; pick: number }
	| { op: 'count'; device: number; quantity: number }
	| { op: 'link'; a: number; b: number }
	| { op: 'unlink'; a: number; b: number }
	| { op: 'deliver'; steps: number }
	| { op: 'tick' }
	| { op: 'restart'; device: number }
	/** An honest device compacts its own log (a checkpoint of what it wrote). */
	| { op: 'compact'; device: number }
	| { op: 'overwrite'; pick: number }
	| { op: 'delete'; pick: number }
	| { op: 'forge-old' }
	| { op: 'forge-delete'; pick: number };

const device = fc.integer({ min: 0, max: DEVICES - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('post' as const), device }) },
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('edit' as const), device, pick: fc.nat() }) },
	{
		weight: 3,
		arbitrary: fc.record({
			op: fc.constant('count' as const),
			device,
			quantity: fc.integer({ min: 1, max: 500 })
		})
	},
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('link' as const), a: device, b: device }) },
	{ weight: 2, arbitrary: fc.record({ op: fc.constant('unlink' as const), a: device, b: device }) },
	{
		weight: 3,
		arbitrary: fc.record({
			op: fc.constant('deliver' as const),
			steps: fc.integer({ min: 1, max: 30 })
		})
	},
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const) }) },
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), device }) },
	{
		weight: 1,
		arbitrary: fc.record({
			op: fc.constant('compact' as const),
			device: fc.integer({ min: 0, max: MALLORY - 1 })
		})
	},
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('overwrite' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('forge-old' as const) }) },
	{
		weight: 1,
		arbitrary: fc.record({ op: fc.constant('forge-delete' as const), pick: fc.nat() })
	}
);

/** A legacy id for Mallory's forged "old" content. */
const FORGER = 4242;

function keys(doc: Y.Doc, root: string): string[] {
	return [...doc.getMap(root).keys()].sort();
}

/** Write the space's description, a site, an item and the ledger entry of 100 into `doc`. */
function startSpace(doc: Y.Doc) {
	const { site, item } = depotSpace(doc);
	recordEntry(doc, { kind: 'received', item, site, quantity: 100 }, MEMBER, 2);
	return { site, item };
}

/**
 * `legacy`: the space was made before v2; d0 and d1 each held a version of
 * it (d1's with a post and a count d0 never got) and migrate it. d1 starts
 * unlinked, so its import spreads while the script runs.
 */
function run(seed: number, steps: Step[], legacy = false) {
	const net = new TestNetwork(seeded(seed));
	const devices = Array.from({ length: DEVICES }, (_, i) => net.device(`d${i}`));
	const first = devices[0]!;
	const old = new Y.Doc();
	const { site, item } = startSpace(legacy ? old : first.doc);
	if (legacy) {
		writePost(old, 'post-old-a', 'Old A');
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(old));
		writePost(other, 'post-old-b', 'Old B');
		recordEntry(other, { kind: 'count', item, site, quantity: 90 }, MEMBER, 3);
		holdBeforeV2(first, old);
		migrateDevice(first);
		holdBeforeV2(devices[1]!, other);
		migrateDevice(devices[1]!);
	}
	// Everyone starts with the space, then the links are the script's.
	const starters = devices.slice(legacy ? 2 : 1);
	for (const other of starters) net.connect(first, other);
	net.settle();
	for (const other of starters) net.disconnect(first, other);

	let posts = 0;
	const pick = <T>(list: T[], n: number): T | undefined => list[n % Math.max(list.length, 1)];
	for (const s of steps) {
		switch (s.op) {
			case 'post': {
				const at = devices[s.device]!;
				writePost(at.doc, `post-${String(posts++).padStart(4, '0')}`, `From ${at.name}`);
				break;
			}
			case 'edit': {
				const at = devices[s.device]!;
				const id = pick(keys(at.doc, 'posts'), s.pick);
				if (id) updatePost(at.doc, id as PostId, { title: `Edited by ${at.name}` }, 2);
				break;
			}
			case 'count':
				recordEntry(
					devices[s.device]!.doc,
					{ kind: 'count', item, site, quantity: s.quantity },
					MEMBER,
					3
				);
				break;
			case 'link':
				net.connect(devices[s.a]!, devices[s.b]!);
				break;
			case 'unlink':
				if (net.connected(devices[s.a]!, devices[s.b]!))
					net.disconnect(devices[s.a]!, devices[s.b]!);
				break;
			case 'deliver':
				for (let i = 0; i < s.steps && net.step(); i++);
				break;
			case 'tick':
				net.now += 20_000;
				for (const each of devices) each.engine.tick();
				break;
			case 'restart':
				net.restart(devices[s.device]!);
				break;
			case 'compact': {
				const at = devices[s.device]!;
				if (at.engine.checkpointOf(at.key.author)) at.compact();
				break;
			}
			case 'overwrite': {
				const mallory = devices[MALLORY]!;
				const id = pick(keys(mallory.doc, 'entries'), s.pick);
				if (id) entriesMap(mallory.doc).set(id, { kind: 'received', quantity: 999_999 });
				break;
			}
			case 'delete': {
				const mallory = devices[MALLORY]!;
				const id = pick(keys(mallory.doc, 'entries'), s.pick);
				if (id) entriesMap(mallory.doc).delete(id);
				break;
			}
			case 'forge-old':
			case 'forge-delete': {
				// "Old" content, under a legacy id, brought as a legacy import.
				const mallory = devices[MALLORY]!;
				const id = pick(keys(mallory.doc, 'entries'), s.op === 'forge-delete' ? s.pick : 0);
				if (s.op === 'forge-delete' && !id) break;
				const forged = craftUpdate(mallory.doc, FORGER, (doc) => {
					if (s.op === 'forge-old') writePost(doc, `post-old-${posts++}`, 'Forged old');
					else entriesMap(doc).delete(id!);
				});
				mallory.logging = false;
				Y.applyUpdate(mallory.doc, forged);
				mallory.logging = true;
				mallory.append(forged, { kind: EntryKind.legacyImport });
				break;
			}
		}
	}
	// Heal: a chain through every device, then let anti-entropy run.
	for (let i = 1; i < devices.length; i++) net.connect(devices[i - 1]!, devices[i]!);
	net.settle();
	net.tick();
	net.tick();
	return devices;
}

/** What a device holds, excluding the hostile device's own doc (it keeps its forgeries). */
function view(device: TestDevice) {
	const doc = device.doc;
	return {
		posts: doc.getMap('posts').toJSON(),
		entries: doc.getMap('entries').toJSON(),
		sites: doc.getMap('sites').toJSON(),
		stops: device.engine
			.stops()
			.map((stop) => `${authorKey(stop.author).slice(0, 8)}@${stop.seq}:${stop.reason}`)
			.sort(),
		waiting: device.engine.waiting() > 0
	};
}

describe('the v2 engine, property: every order and topology ends the same', () => {
	it.each([
		['a space made under v2', false],
		['a space made before v2, migrated by two devices', true]
	])(
		'honest devices end identical, with the same refusals, whatever arrives when: %s',
		(_, legacy) => {
			fc.assert(
				fc.property(
					fc.integer(),
					fc.array(step, { minLength: 5, maxLength: 60 }),
					(seed, steps) => {
						const devices = run(seed, steps, legacy);
						const honest = devices.filter((_, i) => i !== MALLORY);
						const first = view(honest[0]!);
						for (const other of honest.slice(1)) expect(view(other)).toEqual(first);
						// The ledger never changes: the entry of 100 is there as recorded everywhere.
						const entries = Object.values(first.entries) as { quantity: number }[];
						expect(entries.some((entry) => entry.quantity === 100)).toBe(true);
						expect(entries.every((entry) => entry.quantity !== 999_999)).toBe(true);
						// Nothing honest is refused: only Mallory's log can stop.
						const mallory = authorKey(devices[MALLORY]!.key.author).slice(0, 8);
						for (const stop of first.stops) expect(stop.startsWith(mallory)).toBe(true);
						// Nothing of the space from before v2 is lost.
						if (legacy)
							expect(Object.keys(first.posts)).toEqual(
								expect.arrayContaining(['post-old-a', 'post-old-b'])
							);
						if (legacy) expect(entries.some((entry) => entry.quantity === 90)).toBe(true);
					}
				),
				{ numRuns: Number(process.env.V2_RUNS ?? 60) }
			);
		},
		600_000
	);
});
