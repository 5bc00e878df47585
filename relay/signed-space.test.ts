// The relay on sync v2 (#14, slice 5): its signed logs in LevelDB (round
// trip, damaged records dropped), and its engine judging like any peer —
// a device's ledger overwrite is refused and logged, the logs outlive a
// restart, and a fresh device joins from the relay alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { authorKey } from '../src/lib/sync/v2/entry';
import {
	depotSpace,
	MEMBER,
	TestNetwork,
	postTitles,
	seeded,
	writePost
} from '../src/lib/sync/v2/network.test-helper';
import { entriesMap, recordEntry } from '../src/lib/doc/supplies-doc';
import { RelayStore } from './relay-store';
import { SignedRelaySpace } from './signed-space';
import { RelayLink, settle } from './engine-link.test-helper';
import { decodePresence, encodePresence, isPresenceMessage } from '../src/lib/sync/v2/presence';

const root = mkdtempSync(join(tmpdir(), 'barnraise-signed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshFolder = () => join(root, `store-${folders++}`);
const SPACE = 'AAAAAAAAAAAAAAAA';
const quiet = () => {};

async function openRelay(location: string, network: TestNetwork, lines: string[]) {
	const store = await RelayStore.open(location, quiet);
	const space = await SignedRelaySpace.open(store.signedLogs(SPACE), {
		log: (line) => lines.push(line),
		host: 'depot-laptop',
		engine: { now: () => network.now, schedule: (task) => network.later(task) }
	});
	return { store, space };
}

async function closeRelay(relay: { store: RelayStore; space: SignedRelaySpace }) {
	await relay.space.close();
	await relay.store.close();
}

describe('the relay’s signed logs in LevelDB', () => {
	it('keeps ranges, heads and progress, and lets go of what is dropped above a length', async () => {
		const location = freshFolder();
		const network = new TestNetwork(seeded(1));
		const ana = network.device('ana');
		for (let i = 0; i < 4; i++) writePost(ana.doc, `post-000${i}`);

		const store = await RelayStore.open(location, quiet);
		const logs = store.signedLogs(SPACE);
		await logs.putRange(1, ana.entries.slice(0, 2), ana.heads[1]!);
		await logs.putRange(3, ana.entries.slice(2), ana.heads[3]!);
		await logs.putProgress(ana.key.author, {
			applied: 3,
			stopped: { seq: 4, reason: 'fact-changed' }
		});
		await store.close();

		const again = await RelayStore.open(location, quiet);
		const read = await again.signedLogs(SPACE).readAll();
		expect(read.dropped).toBe(0);
		expect(read.logs).toHaveLength(1);
		const [log] = read.logs;
		expect(authorKey(log!.author)).toBe(authorKey(ana.key.author));
		expect(log!.entries).toEqual(ana.entries);
		expect([...log!.signatures.keys()]).toEqual([2, 4]);
		expect(log!.signatures.get(4)).toEqual(ana.heads[3]!.signature);
		expect(log!.progress).toEqual({ applied: 3, stopped: { seq: 4, reason: 'fact-changed' } });
		// Another space's logs are apart.
		expect((await again.signedLogs('BBBBBBBBBBBBBBBB').readAll()).logs).toEqual([]);

		await again.signedLogs(SPACE).dropAbove(ana.key.author, 2);
		const dropped = await again.signedLogs(SPACE).readAll();
		expect(dropped.logs[0]!.entries).toEqual(ana.entries.slice(0, 2));
		expect([...dropped.logs[0]!.signatures.keys()]).toEqual([2]);
		await again.close();
	});

	it('drops a damaged entry and what follows it, and keeps the log below', async () => {
		const location = freshFolder();
		const network = new TestNetwork(seeded(2));
		const ana = network.device('ana');
		for (let i = 0; i < 5; i++) writePost(ana.doc, `post-000${i}`);
		const store = await RelayStore.open(location, quiet);
		await store.signedLogs(SPACE).putRange(1, ana.entries, ana.heads[4]!);
		await store.close();

		// Entry 3's value loses a byte's worth of truth on disk; a progress record is junk.
		const raw = new ClassicLevel<string, Uint8Array>(location, { valueEncoding: 'view' });
		const keys = await raw.keys().all();
		const third = keys.find((key) => key.includes('!log!') && key.endsWith('|0000000000000003'))!;
		const value = await raw.get(third);
		value![value!.length - 1]! ^= 0x01;
		await raw.put(third, value!);
		const progressKey = third.replace('!log!', '!progress!').split('|')[0]!;
		await raw.put(progressKey, new Uint8Array([1, 2, 3]));
		await raw.close();

		const again = await RelayStore.open(location, quiet);
		const read = await again.signedLogs(SPACE).readAll();
		// Entry 3 (damaged), 4 and 5 (past the hole) and the junk progress.
		expect(read.dropped).toBe(4);
		expect(read.logs[0]!.entries).toEqual(ana.entries.slice(0, 2));
		expect(read.logs[0]!.progress).toEqual({ applied: 0, stopped: null });
		// Dropped for good: the next start reads no damage.
		expect((await again.signedLogs(SPACE).readAll()).dropped).toBe(0);
		await again.close();
	});
});

describe('the relay’s engine', () => {
	it('refuses a ledger overwrite, keeps its logs across a restart and serves a fresh device alone', async () => {
		const location = freshFolder();
		const network = new TestNetwork(seeded(3));
		const lines: string[] = [];
		const relay = await openRelay(location, network, lines);
		const ana = network.device('ana');
		const link = new RelayLink(ana, relay.space.engine);
		writePost(ana.doc, 'post-0001', 'Tarps for roofs');
		writePost(ana.doc, 'post-0002', 'Two generators');
		const { site, item } = depotSpace(ana.doc);
		const entry = recordEntry(ana.doc, { kind: 'received', item, site, quantity: 100 }, MEMBER, 2);
		settle(network, [link]);
		const quantity = (doc: Y.Doc) =>
			(entriesMap(doc).get(entry) as { quantity?: unknown })?.quantity;
		expect(quantity(relay.space.doc)).toBe(100);
		// Ana's device turns hostile: it overwrites that ledger entry, signed.
		const entries = entriesMap(ana.doc);
		entries.set(entry, { ...(entries.get(entry) as object), quantity: 999 });
		settle(network, [link]);

		expect(relay.space.engine.lengthOf(ana.key.author)).toBe(ana.entries.length);
		expect(quantity(relay.space.doc)).toBe(100);
		const refusal = lines.find((line) => line.includes('fact-changed'));
		expect(refusal).toContain(`device ${authorKey(ana.key.author).slice(0, 8)}`);
		expect(refusal).toContain('tried to change a supply entry');
		await closeRelay(relay);

		// Ana's phone is off; the relay starts again from its disk.
		const restartLines: string[] = [];
		const restarted = await openRelay(location, network, restartLines);
		expect(restartLines).toContain(
			`loaded ${ana.entries.length} signed changes of 1 devices from disk`
		);
		expect(
			restartLines.some((line) => /stay refused from change \d+ \(fact-changed\)/.test(line))
		).toBe(true);
		const cy = network.device('cy');
		settle(network, [new RelayLink(cy, restarted.space.engine)]);
		expect(postTitles(cy)).toEqual(['Tarps for roofs', 'Two generators']);
		// The relay serves what it refused too: Cy refuses it at the same change.
		expect(cy.refusals()).toEqual([
			expect.objectContaining({ seq: ana.entries.length, reason: 'fact-changed' })
		]);
		expect(quantity(cy.doc)).toBe(100);
		await closeRelay(restarted);
	});
});

describe('the relay and presence v2', () => {
	it('passes a device’s PRESENCE on with one hop less, never as a bad message, and names itself by its host', async () => {
		const lines: string[] = [];
		const relay = await openRelay(freshFolder(), new TestNetwork(seeded(3)), lines);
		const toBen: Uint8Array[] = [];
		relay.space.links.addLink({ id: 'ana', send: () => {} });
		relay.space.links.addLink({ id: 'ben', send: (bytes) => toBen.push(bytes) });
		const ana = { clientId: 5, clock: 1, json: '{"member":"ana"}', state: { member: 'ana' } };
		relay.space.links.receive('ana', encodePresence({ hops: 2, states: [ana] }));
		const heard = toBen.filter(isPresenceMessage).map(decodePresence);
		// Its own state first (sent as the link opened): a host, no member.
		expect(heard).toEqual([
			{
				ok: true,
				message: {
					hops: 2,
					states: [expect.objectContaining({ state: { relay: 'depot-laptop' } })]
				}
			},
			{ ok: true, message: { hops: 1, states: [ana] } }
		]);
		expect(lines).toEqual([]);
		await closeRelay(relay);
	});
});
