import {
	appendFileSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	truncateSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DiskLog } from './disk-log';

const dir = mkdtempSync(join(tmpdir(), 'barnraise-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function docFrom(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

describe('relay disk log', () => {
	it('keeps every appended update across reopen', () => {
		const path = join(dir, 'a.log');
		const source = new Y.Doc();
		const { log } = DiskLog.open(path);
		source.on('update', (update: Uint8Array) => log.append(update));
		for (let i = 0; i < 20; i++) source.getMap('posts').set(`p${i}`, i);
		log.close();
		const { log: again, contents } = DiskLog.open(path);
		expect(contents.discardedBytes).toBe(0);
		expect(docFrom(contents.updates).getMap('posts').toJSON()).toEqual(
			source.getMap('posts').toJSON()
		);
		again.close();
	});

	it('loses only a torn last record after a crash mid-write, and stays appendable', () => {
		const path = join(dir, 'b.log');
		const source = new Y.Doc();
		const { log } = DiskLog.open(path);
		source.on('update', (update: Uint8Array) => log.append(update));
		source.getMap('posts').set('kept-1', 1);
		source.getMap('posts').set('kept-2', 2);
		source.getMap('posts').set('torn', 3);
		log.close();
		// The crash: the last record is cut halfway.
		truncateSync(path, statSync(path).size - 5);
		const { log: reopened, contents } = DiskLog.open(path);
		expect(contents.discardedBytes).toBeGreaterThan(0);
		expect(docFrom(contents.updates).getMap('posts').toJSON()).toEqual({
			'kept-1': 1,
			'kept-2': 2
		});
		const more = new Y.Doc();
		more.on('update', (update: Uint8Array) => reopened.append(update));
		more.getMap('posts').set('after', 4);
		reopened.close();
		const { contents: final } = DiskLog.open(path);
		expect(final.discardedBytes).toBe(0);
		expect(docFrom(final.updates).getMap('posts').toJSON()).toEqual({
			'kept-1': 1,
			'kept-2': 2,
			after: 4
		});
	});

	it('stops at a corrupt record instead of applying garbage', () => {
		const path = join(dir, 'c.log');
		const source = new Y.Doc();
		const { log } = DiskLog.open(path);
		source.on('update', (update: Uint8Array) => log.append(update));
		source.getMap('m').set('a', 1);
		log.close();
		appendFileSync(path, Buffer.from([0, 0, 0, 3, 1, 2, 3, 4, 9, 9, 9]));
		const { log: again, contents } = DiskLog.open(path);
		expect(contents.updates).toHaveLength(1);
		expect(contents.discardedBytes).toBe(11);
		again.close();
	});

	it('compacts atomically into one record of the whole state', () => {
		const path = join(dir, 'd.log');
		const source = new Y.Doc();
		const { log } = DiskLog.open(path);
		source.on('update', (update: Uint8Array) => log.append(update));
		for (let i = 0; i < 50; i++) source.getMap('m').set('k', i);
		const before = log.bytes;
		log.compact(Y.encodeStateAsUpdate(source));
		expect(log.records).toBe(1);
		expect(log.bytes).toBeLessThan(before);
		source.getMap('m').set('later', true);
		log.close();
		const { contents } = DiskLog.open(path);
		expect(docFrom(contents.updates).getMap('m').toJSON()).toEqual({ k: 49, later: true });
	});

	it('treats a file of random bytes as empty rather than crashing', () => {
		const path = join(dir, 'e.log');
		writeFileSync(path, Buffer.from('not a log at all, just text'));
		const { log, contents } = DiskLog.open(path);
		expect(contents.updates).toEqual([]);
		expect(readFileSync(path).byteLength).toBe(0);
		log.close();
	});
});
