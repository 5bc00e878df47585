import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { SpaceId } from '../../domain/ids';
import { EntryBatcher, MAX_BATCH_BYTES, QUIET_MS, type EntryLog } from './batcher';
import { MAX_ENTRY_BODY_BYTES, MAX_ENTRY_BYTES, type EntryKind } from './entry';
import { LocalLog } from './log-store';
import { verifyRange } from './verify';

/** A log that keeps what it is given, for the timing of batches. */
class RecordingLog implements EntryLog {
	readonly clientId = 424_242;
	readonly appended: { kind: EntryKind; body: Uint8Array; time: number }[] = [];
	async append(kind: EntryKind, body: Uint8Array, time: number) {
		if (body.length > MAX_ENTRY_BYTES)
			return { ok: false as const, reason: 'oversize' as const, bytes: body.length };
		this.appended.push({ kind, body, time });
		return { ok: true as const, head: {} as never, encoded: body };
	}
}

function setup(options: ConstructorParameters<typeof EntryBatcher>[2] = {}) {
	const log = new RecordingLog();
	const doc = new Y.Doc();
	doc.clientID = log.clientId;
	const batcher = new EntryBatcher(doc, log, { now: () => 5, ...options });
	const title = doc.getText('title');
	/** One keystroke: one local transaction. */
	const type = (text: string) => doc.transact(() => title.insert(title.length, text), 'typing');
	return { log, doc, batcher, type, title };
}

/** What the entries hold, applied to a fresh doc. */
function replay(bodies: Uint8Array[]) {
	const doc = new Y.Doc();
	for (const body of bodies) Y.applyUpdate(doc, body);
	return doc;
}

describe('EntryBatcher', () => {
	beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
	afterEach(() => vi.useRealTimers());

	it('makes one entry of a title typed key by key, once typing pauses', async () => {
		const { log, type, batcher } = setup();
		for (const key of 'Water for Block 4') {
			type(key);
			await vi.advanceTimersByTimeAsync(QUIET_MS - 100);
		}
		expect(log.appended).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(99);
		expect(log.appended).toHaveLength(0);
		await vi.advanceTimersByTimeAsync(1);
		await batcher.flush();
		expect(log.appended).toHaveLength(1);
		expect(log.appended[0]).toMatchObject({ kind: 0, time: 5 });
		expect(
			replay(log.appended.map((entry) => entry.body))
				.getText('title')
				.toString()
		).toBe('Water for Block 4');
	});

	it('makes separate entries of edits separated by quiet moments', async () => {
		const { log, type, batcher } = setup();
		type('a');
		await vi.advanceTimersByTimeAsync(QUIET_MS);
		type('b');
		await vi.advanceTimersByTimeAsync(QUIET_MS);
		await batcher.flush();
		expect(log.appended).toHaveLength(2);
		expect(
			replay(log.appended.map((entry) => entry.body))
				.getText('title')
				.toString()
		).toBe('ab');
	});

	it('does not record what came from peers or storage', async () => {
		const { log, doc, batcher } = setup();
		const peer = new Y.Doc();
		peer.getText('title').insert(0, 'from a peer');
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'provider');
		await vi.advanceTimersByTimeAsync(QUIET_MS * 2);
		await batcher.flush();
		expect(doc.getText('title').toString()).toBe('from a peer');
		expect(log.appended).toHaveLength(0);
	});

	it('writes at once when a batch reaches 64 KiB', async () => {
		const { log, type, batcher } = setup();
		type('x'.repeat(MAX_BATCH_BYTES / 2));
		expect(batcher.pendingBytes).toBeGreaterThan(0);
		type('y'.repeat(MAX_BATCH_BYTES / 2));
		expect(batcher.pendingBytes).toBe(0);
		await batcher.flush();
		expect(log.appended).toHaveLength(1);
		// No timer was left behind to write an empty entry.
		await vi.advanceTimersByTimeAsync(QUIET_MS * 2);
		expect(log.appended).toHaveLength(1);
	});

	it('writes at once when the page hides, not when it shows', async () => {
		const window = new EventTarget();
		const document = Object.assign(new EventTarget(), {
			visibilityState: 'visible' as DocumentVisibilityState
		});
		const { log, type, batcher } = setup({ window, document });
		type('a');
		document.dispatchEvent(new Event('visibilitychange'));
		expect(batcher.pendingBytes).toBeGreaterThan(0);
		document.visibilityState = 'hidden';
		document.dispatchEvent(new Event('visibilitychange'));
		expect(batcher.pendingBytes).toBe(0);
		type('b');
		window.dispatchEvent(new Event('pagehide'));
		expect(batcher.pendingBytes).toBe(0);
		await batcher.flush();
		expect(log.appended).toHaveLength(2);
	});

	it('writes what is pending when the doc is destroyed, then stops listening', async () => {
		const { log, doc, type, batcher } = setup();
		type('last words');
		doc.destroy();
		await batcher.flush();
		expect(log.appended).toHaveLength(1);
		doc.getText('title').insert(0, 'after');
		await vi.advanceTimersByTimeAsync(QUIET_MS * 2);
		expect(log.appended).toHaveLength(1);
	});

	it('reports a batch over the entry limit and goes on with the next', async () => {
		const errors: unknown[] = [];
		const { log, type, batcher } = setup({ onError: (error) => errors.push(error) });
		type('z'.repeat(MAX_ENTRY_BYTES + 1));
		await batcher.flush();
		expect(errors).toHaveLength(1);
		type('small');
		await batcher.flush();
		expect(log.appended).toHaveLength(1);
	});

	it('writes one change larger than an entry (a bulk import) as several, in order', async () => {
		const errors: unknown[] = [];
		const { log, doc, batcher } = setup({ onError: (error) => errors.push(error) });
		doc.transact(() => {
			const records = doc.getMap('records');
			for (let i = 0; i < 3000; i++) records.set(`r${i}`, `${i} ${'x'.repeat(3000)}`);
		});
		await batcher.flush();
		expect(errors).toEqual([]);
		expect(log.appended.length).toBeGreaterThan(1);
		for (const { body } of log.appended)
			expect(body.length).toBeLessThanOrEqual(MAX_ENTRY_BODY_BYTES);
		const peer = new Y.Doc();
		for (const { body } of log.appended) Y.applyUpdate(peer, body);
		expect(peer.getMap('records').toJSON()).toEqual(doc.getMap('records').toJSON());
	});

	it('stops, and says so, when Yjs moves the doc to another client id', async () => {
		const errors: unknown[] = [];
		const { log, doc, type, batcher } = setup({ onError: (error) => errors.push(error) });
		type('a');
		await batcher.flush();
		// A peer's change under this doc's own id: Yjs gives the doc a new random id.
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(doc));
		forged.clientID = log.clientId;
		forged.getText('title').insert(0, 'x');
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(forged, Y.encodeStateVector(doc)));
		expect(doc.clientID).not.toBe(log.clientId);
		type('b');
		await batcher.flush();
		expect(log.appended).toHaveLength(1);
		expect(String(errors[0])).toMatch(/no longer writes under the log/);
	});

	it('refuses a doc that does not write under the log’s client id', () => {
		const doc = new Y.Doc();
		expect(() => new EntryBatcher(doc, new RecordingLog())).toThrow(/client id/);
	});
});

describe('EntryBatcher on a LocalLog', () => {
	it('fills a log that verifies and replays to the same doc, all under the derived client id', async () => {
		const log = await LocalLog.open('batcher-space' as SpaceId);
		const doc = new Y.Doc();
		doc.clientID = log.clientId;
		const batcher = new EntryBatcher(doc, log);
		const posts = doc.getMap<Y.Map<string>>('posts');
		for (let i = 0; i < 3; i++) {
			doc.transact(() => {
				const post = new Y.Map<string>();
				post.set('title', `Post ${i}`);
				posts.set(`p${i}`, post);
			}, 'local');
			await batcher.flush();
		}
		doc.transact(() => posts.delete('p1'), 'local');
		await batcher.destroy();

		const head = await log.head();
		expect(head?.seq).toBe(4);
		const entries = await log.range(log.author, 1, 4);
		const result = verifyRange({ author: log.author, entries, head: head! });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const copy = replay(result.entries.map((entry) => entry.body));
		expect([...copy.getMap('posts').keys()].sort()).toEqual(['p0', 'p2']);
		for (const entry of result.entries) {
			const { structs, ds } = Y.decodeUpdate(entry.body);
			for (const struct of structs) expect(struct.id.client).toBe(log.clientId);
			for (const client of ds.clients.keys()) expect(client).toBe(log.clientId);
		}
		log.close();
	});
});
