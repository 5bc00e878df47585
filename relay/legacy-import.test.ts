// What a relay held of a space from before sync v2 becomes a legacy import
// of its own signed log (legacy-import.ts): once, signed by a key only it
// holds, taken by a fresh device like any device's import; content every
// peer would refuse is left on disk as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { entriesMap, recordEntry } from '../src/lib/doc/supplies-doc';
import { decodeEntry, EntryKind, authorKey, type AuthorId } from '../src/lib/sync/v2/entry';
import {
	depotSpace,
	MEMBER,
	TestNetwork,
	postTitles,
	seeded,
	writePost
} from '../src/lib/sync/v2/network.test-helper';
import { importLegacyContent } from './legacy-import';
import { RelayStore } from './relay-store';
import { SignedRelaySpace } from './signed-space';
import { RelayLink, settle } from './engine-link.test-helper';

const root = mkdtempSync(join(tmpdir(), 'barnraise-legacy-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const freshFolder = () => join(root, `store-${folders++}`);
const SPACE = 'AAAAAAAAAAAAAAAA';
const quiet = () => {};

/** A space made before v2, as today's sync left it on the relay: one update per change. */
function oldUpdates(change?: (doc: Y.Doc, entry: string) => void): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const { site, item } = depotSpace(doc);
	writePost(doc, 'post-old-1', 'Tarps');
	writePost(doc, 'post-old-2', 'Generator');
	const entry = recordEntry(doc, { kind: 'received', item, site, quantity: 100 }, MEMBER, 2);
	change?.(doc, entry);
	return updates;
}

async function storeWithOldUpdates(updates: Uint8Array[]): Promise<RelayStore> {
	const store = await RelayStore.open(freshFolder(), quiet);
	await store.space(SPACE).append(updates.map((update, i) => ({ seq: i + 1, update })));
	return store;
}

describe('a relay’s content from before v2', () => {
	it('becomes a legacy import signed by its own key, that a fresh device verifies and takes', async () => {
		const updates = oldUpdates();
		const store = await storeWithOldUpdates(updates);
		const lines: string[] = [];
		const network = new TestNetwork(seeded(5));
		const result = await importLegacyContent(store, SPACE, {
			log: (line) => lines.push(line),
			// Small entries, so the import is several, as a big space's is.
			maxBodyBytes: 400,
			now: () => network.now
		});
		expect(result).toMatchObject({ status: 'imported' });
		const { author, entries } = result as { author: string; entries: number };
		expect(entries).toBeGreaterThan(1);
		expect(lines).toEqual([
			`imported its content from before signed changes (${updates.length} updates) as ${entries} signed changes of its own, device ${author.slice(0, 8)}`
		]);
		// The key is the relay's, kept in its store; the log is that key's.
		const key = await store.ownKey(SPACE);
		expect(authorKey(key!.author)).toBe(author);
		const kept = await store.signedLogs(SPACE).readAll();
		expect(kept.logs.map((log) => authorKey(log.author))).toEqual([author]);
		const decoded = kept.logs[0]!.entries.map((bytes) => decodeEntry(bytes));
		expect(decoded.map((entry) => entry.ok && entry.entry.kind)).toEqual(
			Array(entries).fill(EntryKind.legacyImport)
		);
		// The old updates stay as they were.
		expect((await store.space(SPACE).readAll()).updates).toHaveLength(updates.length);

		// The relay's engine takes its own log like any; a fresh device gets it from the relay.
		const relay = await SignedRelaySpace.open(store.signedLogs(SPACE), {
			log: quiet,
			host: 'depot-laptop',
			engine: { now: () => network.now, schedule: (task) => network.later(task) }
		});
		expect(relay.engine.lengthOf(key!.author)).toBe(entries);
		expect([...relay.doc.getMap('posts').keys()].sort()).toEqual(['post-old-1', 'post-old-2']);
		const cy = network.device('cy');
		settle(network, [new RelayLink(cy, relay.engine)]);
		expect(postTitles(cy)).toEqual(['Generator', 'Tarps']);
		expect(entriesMap(cy.doc).size).toBe(1);
		expect(cy.refusals()).toEqual([]);
		expect(cy.misbehaviour()).toEqual([]);
		const accepted = cy.events.filter((event) => event.type === 'accepted');
		expect(accepted).toHaveLength(entries);
		for (const event of accepted) {
			expect(authorKey(event.author as AuthorId)).toBe(author);
			expect(event).toMatchObject({ legacy: true });
		}
		await relay.close();
		await store.close();
	});

	it('is imported once: a restart does not import it again', async () => {
		const store = await storeWithOldUpdates(oldUpdates());
		const first = await importLegacyContent(store, SPACE, { log: quiet });
		expect(first.status).toBe('imported');
		const location = store.location;
		await store.close();

		const reopened = await RelayStore.open(location, quiet);
		const lines: string[] = [];
		expect(await importLegacyContent(reopened, SPACE, { log: (line) => lines.push(line) })).toEqual(
			{ status: 'imported-before' }
		);
		expect(lines).toEqual([]);
		const kept = await reopened.signedLogs(SPACE).readAll();
		expect(kept.logs).toHaveLength(1);
		expect(authorKey(kept.logs[0]!.author)).toBe((first as { author: string }).author);
		await reopened.close();
	});

	it('is imported once when two opens of a space race (the same invite given twice)', async () => {
		const store = await storeWithOldUpdates(oldUpdates());
		const results = await Promise.all([
			importLegacyContent(store, SPACE, { log: quiet }),
			importLegacyContent(store, SPACE, { log: quiet })
		]);
		expect(results.map((result) => result.status).sort()).toEqual(['imported', 'imported-before']);
		expect((await store.signedLogs(SPACE).readAll()).logs).toHaveLength(1);
		await store.close();
	});

	it('mends a supply entry a hostile old device changed, as it stands, and a fresh device takes it', async () => {
		const updates = oldUpdates((doc, entry) => {
			const fields = entriesMap(doc).get(entry) as Record<string, unknown>;
			entriesMap(doc).set(entry, { ...fields, quantity: 999 });
		});
		const store = await storeWithOldUpdates(updates);
		const network = new TestNetwork(seeded(6));
		const result = await importLegacyContent(store, SPACE, { log: quiet, now: () => network.now });
		expect(result.status).toBe('imported');
		const relay = await SignedRelaySpace.open(store.signedLogs(SPACE), {
			log: quiet,
			host: 'depot-laptop',
			engine: { now: () => network.now, schedule: (task) => network.later(task) }
		});
		const cy = network.device('cy');
		settle(network, [new RelayLink(cy, relay.engine)]);
		expect(cy.refusals()).toEqual([]);
		expect(
			[...entriesMap(cy.doc).values()].map((entry) => (entry as { quantity: number }).quantity)
		).toEqual([999]);
		await relay.close();
		await store.close();
	});

	it('is not imported when every peer would refuse it and it cannot be mended, and stays on disk as it was', async () => {
		// A hostile old device changed a supply entry, and the doc holds formatted
		// text, which no app writes and the strict reading mending needs gives up on.
		const updates = oldUpdates((doc, entry) => {
			const fields = entriesMap(doc).get(entry) as Record<string, unknown>;
			entriesMap(doc).set(entry, { ...fields, quantity: 999 });
			doc.getText('notes').insert(0, 'bold', { bold: true });
		});
		const store = await storeWithOldUpdates(updates);
		const lines: string[] = [];
		const result = await importLegacyContent(store, SPACE, { log: (line) => lines.push(line) });
		expect(result.status).toBe('not-imported');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^kept its content from before signed changes on disk, not imported: every peer would refuse it \(.+\)$/
		);
		expect(await store.ownKey(SPACE)).toBeNull();
		expect(await store.legacyImported(SPACE)).toBeNull();
		expect((await store.signedLogs(SPACE).readAll()).logs).toEqual([]);
		const kept = await store.space(SPACE).readAll();
		expect(kept.updates.map(({ update }) => Uint8Array.from(update))).toEqual(updates);
		// Tried again at the next start (a newer app may mend it), and refused again.
		expect((await importLegacyContent(store, SPACE, { log: quiet })).status).toBe('not-imported');
		await store.close();
	});

	it('imports nothing, and makes no key, for a space with nothing from before v2', async () => {
		const store = await RelayStore.open(freshFolder(), quiet);
		expect(await importLegacyContent(store, SPACE, { log: quiet })).toEqual({ status: 'nothing' });
		expect(await store.ownKey(SPACE)).toBeNull();
		await store.close();
	});

	it('leaves out records that are not Yjs updates, says so, and imports the rest', async () => {
		const updates = oldUpdates();
		const store = await RelayStore.open(freshFolder(), quiet);
		await store
			.space(SPACE)
			.append([
				...updates.map((update, i) => ({ seq: i + 1, update })),
				{ seq: updates.length + 1, update: Uint8Array.from([0, 9, 9, 9, 200, 200, 200]) }
			]);
		const lines: string[] = [];
		const result = await importLegacyContent(store, SPACE, { log: (line) => lines.push(line) });
		expect(result.status).toBe('imported');
		expect(lines[0]).toMatch(/\(\d+ updates; 1 unreadable, left out\)/);
		await store.close();
	});
});
