import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { SpaceId } from '../../domain/ids';
import { deleteDatabase } from '../../device/delete-database';
import { EntryKind, MAX_ENTRY_BYTES, decodeEntry } from './entry';
import { LocalLog, OPEN_WAIT_MS, logDatabaseName } from './log-store';
import { verifyRange } from './verify';
import { buildChain, slice } from './chain.test-helper';
import { decodeMessage, encodeMessage } from './messages';

let spaces = 0;
const newSpace = () => `log-space-${++spaces}` as SpaceId;
const body = (text: string) => new TextEncoder().encode(text);

async function verifyAll(log: LocalLog) {
	const head = await log.head();
	if (!head) throw new Error('no head');
	const entries = await log.range(log.author, 1, head.seq);
	return verifyRange({ author: log.author, entries, head });
}

describe('LocalLog', () => {
	it('makes the device key once and a new writer epoch at every opening', async () => {
		const space = newSpace();
		const first = await LocalLog.open(space);
		const second = await LocalLog.open(space);
		expect(second.author).toEqual(first.author);
		expect([first.epoch, second.epoch]).toEqual([1, 2]);
		expect(second.clientId).not.toBe(first.clientId);
		first.close();
		second.close();
		const other = await LocalLog.open(newSpace());
		expect(other.author).not.toEqual(first.author);
		other.close();
	});

	it('appends at seq 1 only when asked to: of two tabs importing at once, one does', async () => {
		const space = newSpace();
		const [a, b] = await Promise.all([LocalLog.open(space), LocalLog.open(space)]);
		const results = await Promise.all([
			a.append(EntryKind.legacyImport, body('old of a'), 1, 1),
			b.append(EntryKind.legacyImport, body('old of b'), 1, 1)
		]);
		expect(results.filter((result) => result.ok)).toHaveLength(1);
		await a.append(EntryKind.edit, body('edit'), 2);
		expect(await b.append(EntryKind.legacyImport, body('late'), 3, 1)).toMatchObject({
			ok: false,
			reason: 'moved'
		});
		expect(await a.head()).toMatchObject({ seq: 2 });
		expect((await verifyAll(a)).ok).toBe(true);
		a.close();
		b.close();
	});

	it('gives two tabs opening a new space at once one key and two epochs', async () => {
		const space = newSpace();
		const [a, b] = await Promise.all([LocalLog.open(space), LocalLog.open(space)]);
		expect(a.author).toEqual(b.author);
		expect(new Set([a.epoch, b.epoch])).toEqual(new Set([1, 2]));
		a.close();
		b.close();
	});

	it('appends a chain that verifies, and reads ranges of it back', async () => {
		const log = await LocalLog.open(newSpace());
		expect(await log.head()).toBeNull();
		for (let i = 1; i <= 5; i++) {
			const result = await log.append(EntryKind.edit, body(`edit ${i}`), 1_000 + i);
			expect(result).toMatchObject({ ok: true, head: { seq: i } });
		}
		const result = await verifyAll(log);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.entries.map((entry) => new TextDecoder().decode(entry.body))).toEqual([
			'edit 1',
			'edit 2',
			'edit 3',
			'edit 4',
			'edit 5'
		]);
		expect(result.entries.every((entry) => entry.epoch === log.epoch)).toBe(true);
		expect(result.entries.map((entry) => entry.time)).toEqual([1001, 1002, 1003, 1004, 1005]);
		const middle = await log.range(log.author, 2, 3);
		expect(middle.map((bytes) => decodeEntry(bytes).ok && decodeEntry(bytes))).toMatchObject([
			{ entry: { seq: 2 } },
			{ entry: { seq: 3 } }
		]);
		log.close();
	});

	it('keeps one linear chain when two tabs append at the same time', async () => {
		const space = newSpace();
		const [a, b] = await Promise.all([LocalLog.open(space), LocalLog.open(space)]);
		// Interleaved and unawaited: each tab fires its appends while the other's are in flight.
		const appends = [];
		for (let i = 0; i < 40; i++) {
			const tab = i % 2 === 0 ? a : b;
			appends.push(tab.append(EntryKind.edit, body(`${tab.epoch}:${i}`), i));
		}
		const results = await Promise.all(appends);
		expect(results.every((result) => result.ok)).toBe(true);
		const seqs = results.map((result) => (result.ok ? result.head.seq : 0));
		expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

		const result = await verifyAll(a);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.to).toBe(40);
		// Both tabs' entries are in the one chain, each under its own epoch.
		expect(new Set(result.entries.map((entry) => entry.epoch))).toEqual(
			new Set([a.epoch, b.epoch])
		);
		expect(await b.head()).toEqual(await a.head());
		a.close();
		b.close();
	});

	it('refuses an entry over the limit and writes nothing', async () => {
		const log = await LocalLog.open(newSpace());
		await log.append(EntryKind.edit, body('small'), 1);
		const result = await log.append(EntryKind.edit, new Uint8Array(MAX_ENTRY_BYTES), 2);
		expect(result).toMatchObject({ ok: false, reason: 'oversize' });
		expect((await log.head())?.seq).toBe(1);
		expect(await log.range(log.author, 1, 10)).toHaveLength(1);
		log.close();
	});

	it('appends several entries all or none: a chain that verifies, or nothing when one is over the limit', async () => {
		const [a, b] = await Promise.all([LocalLog.open(newSpace()), LocalLog.open(newSpace())]);
		const pieces = [body('old 1'), body('old 2'), body('old 3')];
		const [first, taken] = await Promise.all([
			a.appendAll(EntryKind.legacyImport, pieces, 1, 1),
			a.appendAll(EntryKind.legacyImport, pieces, 1, 1)
		]);
		// Of two tabs importing at once, one imports it all; the other is told.
		expect(first!.map((result) => result.ok)).toEqual([true, true, true]);
		expect(taken).toEqual([{ ok: false, reason: 'moved', seq: 4 }]);
		expect((await verifyAll(a)).ok).toBe(true);
		expect((await a.head())?.seq).toBe(3);
		const oversize = await b.appendAll(
			EntryKind.legacyImport,
			[body('fits'), new Uint8Array(MAX_ENTRY_BYTES)],
			1,
			1
		);
		expect(oversize).toEqual([expect.objectContaining({ ok: false, reason: 'oversize' })]);
		expect(await b.head()).toBeNull();
		a.close();
		b.close();
	});

	it('lets its database be deleted while open, and starts over with a new key after', async () => {
		const space = newSpace();
		const log = await LocalLog.open(space);
		await log.append(EntryKind.edit, body('x'), 1);
		expect(await deleteDatabase(logDatabaseName(space))).toBe('deleted');
		const again = await LocalLog.open(space);
		expect(again.author).not.toEqual(log.author);
		expect(await again.head()).toBeNull();
		again.close();
	});

	it('keeps other authors’ ranges with their heads, and loads every log back whole from 1', async () => {
		const log = await LocalLog.open(newSpace());
		await log.append(EntryKind.edit, body('mine'), 1);
		const other = buildChain(6, 'b');
		await log.putRange(1, other.entries.slice(0, 3), other.heads[2]!);
		await log.putRange(4, other.entries.slice(3, 6), other.heads[5]!);
		await log.putProgress(other.key.author, { applied: 6, stopped: null });
		const loaded = await log.loadAll();
		const theirs = loaded.find((kept) =>
			kept.author.every((byte, i) => byte === other.key.author[i])
		);
		expect(theirs?.entries).toEqual(other.entries);
		expect([...theirs!.signatures.keys()].sort()).toEqual([3, 6]);
		expect(theirs?.progress).toEqual({ applied: 6, stopped: null });
		const mine = loaded.find((kept) => kept !== theirs);
		expect(mine?.entries).toHaveLength(1);
		expect([...mine!.signatures.keys()]).toEqual([1]);
		// Letting go of entries past 4 takes their heads too.
		await log.dropAbove(other.key.author, 4);
		const after = (await log.loadAll()).find((kept) => kept.entries.length === 4);
		expect([...after!.signatures.keys()]).toEqual([3]);
		log.close();
	});

	it('stores a range received in one message as its own bytes, not the message each time', async () => {
		const log = await LocalLog.open(newSpace());
		const other = buildChain(3, 'c');
		// As a link hands them over: views of the one message they came in.
		const message = encodeMessage({ type: 'entries', ...slice(other, 1, 3) });
		const read = decodeMessage(message);
		if (!read.ok || read.message.type !== 'entries') throw new Error('not a range');
		const { entries, head } = read.message;
		expect(entries[0]!.buffer).toBe(head.signature.buffer);
		await log.putRange(1, entries, head);
		const theirs = (await log.loadAll()).find((kept) => kept.entries.length === 3)!;
		expect(theirs.entries).toEqual(other.entries);
		// IndexedDB keeps a view's whole buffer: each entry and the head's signature must own theirs.
		for (const entry of theirs.entries) expect(entry.buffer.byteLength).toBe(entry.length);
		expect(theirs.signatures.get(3)!.buffer.byteLength).toBe(64);
		log.close();
	});

	it('loads a log only up to a hole a torn write left', async () => {
		const log = await LocalLog.open(newSpace());
		const other = buildChain(5, 'c');
		await log.putRange(1, other.entries.slice(0, 2), other.heads[1]!);
		// Entry 3 never written; 4 and 5 were.
		await log.putRange(4, other.entries.slice(3, 5), other.heads[4]!);
		const [kept] = await log.loadAll();
		expect(kept?.entries).toEqual(other.entries.slice(0, 2));
		log.close();
	});

	it('fails, rather than hangs, when an old tab never lets go of version 1 of the database', async () => {
		const space = newSpace();
		const stuck = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(logDatabaseName(space), 1);
			request.onupgradeneeded = () => request.result.createObjectStore('device');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const outcome = LocalLog.open(space).then(
				(log) => (log.close(), 'opened'),
				(error: Error) => error.message
			);
			await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1), { interval: 1 });
			vi.advanceTimersByTime(OPEN_WAIT_MS);
			await expect(outcome).resolves.toMatch(/another tab .* holding/i);
		} finally {
			vi.useRealTimers();
		}
		// Once the old tab lets go, the space's logs open (and upgrade) as usual.
		stuck.close();
		const log = await LocalLog.open(space);
		expect(log.epoch).toBe(1);
		log.close();
	});

	it('keeps a log from its checkpoint on once the entries below are dropped', async () => {
		const log = await LocalLog.open(newSpace());
		for (const text of ['one', 'two', 'three']) await log.append(EntryKind.edit, body(text), 1);
		// A checkpoint appends only right after what it was made of.
		expect(await log.append(EntryKind.checkpoint, body('all'), 2, 3)).toMatchObject({
			ok: false,
			reason: 'moved',
			seq: 4
		});
		const made = await log.append(EntryKind.checkpoint, body('all'), 2, 4);
		expect(made.ok).toBe(true);
		await log.dropBelow(log.author, 4);
		expect(await log.firstKept(log.author)).toBe(4);
		const [kept] = await log.loadAll();
		expect(kept).toMatchObject({ first: 4 });
		expect(kept!.entries.map((bytes) => decodeEntry(bytes).ok && decodeEntry(bytes))).toMatchObject(
			[{ entry: { seq: 4, kind: EntryKind.checkpoint } }]
		);
		expect([...kept!.signatures.keys()]).toEqual([4]);
		log.close();
	});
});
