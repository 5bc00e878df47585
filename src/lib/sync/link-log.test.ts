import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkLog, linkRows, MAX_RECORDS, SAVE_EVERY_MS, type LinkRecord } from './link-log';

function memoryStore(initial: unknown = []) {
	const store = { saved: initial, saves: 0 };
	return {
		store,
		backend: {
			load: () => store.saved,
			save(records: LinkRecord[]) {
				store.saved = JSON.parse(JSON.stringify(records));
				store.saves++;
			}
		}
	};
}

describe('link log', () => {
	let now = 1_000_000;
	const clock = () => now;
	beforeEach(() => {
		vi.useFakeTimers();
		now = 1_000_000;
	});
	afterEach(() => vi.useRealTimers());

	it('remembers named devices across a restart, not anonymous links', () => {
		const { store, backend } = memoryStore();
		const log = new LinkLog(backend, clock);
		log.heard('mesh', 'member-ben', true);
		log.heard('mesh', 'peer-uuid-1', false);
		log.destroy();
		const again = new LinkLog(backend, clock);
		expect(again.records().map((r) => r.peer)).toEqual(['member-ben']);
		expect(store.saves).toBe(1);
	});

	it('writes at most once per interval however often links are heard', () => {
		const { store, backend } = memoryStore();
		const log = new LinkLog(backend, clock);
		for (let i = 0; i < 100; i++) {
			now += 10;
			log.heard('mesh', 'member-ben', true);
			vi.advanceTimersByTime(10);
		}
		// The first is written at once, the rest wait for the interval.
		expect(store.saves).toBe(1);
		vi.advanceTimersByTime(SAVE_EVERY_MS);
		expect(store.saves).toBe(2);
		expect((store.saved as LinkRecord[])[0]?.lastSyncAt).toBe(now);
	});

	it('gives what an unnamed link heard to its member once presence names it', () => {
		const { backend } = memoryStore();
		const log = new LinkLog(backend, clock);
		log.heard('mesh', 'peer-uuid-1', false);
		now += 500;
		log.identify('mesh', 'peer-uuid-1', 'member-ben');
		expect(log.get('mesh', 'peer-uuid-1')).toBeUndefined();
		expect(log.get('mesh', 'member-ben')).toMatchObject({ known: true, lastSyncAt: 1_000_000 });
	});

	it('skips damaged stored entries and keeps the rest', () => {
		const good = { transport: 'tab', peer: 'member-ana', known: true, lastSyncAt: 5 };
		const { backend } = memoryStore([
			good,
			{ transport: 'carrier pigeon', peer: 'x', known: true, lastSyncAt: 1 },
			{ transport: 'mesh', peer: 7, known: true, lastSyncAt: 1 },
			{ transport: 'mesh', peer: 'y', known: true, lastSyncAt: 'yesterday' },
			null,
			'junk'
		]);
		expect(new LinkLog(backend, clock).records()).toEqual([good]);
		expect(new LinkLog(memoryStore({ not: 'a list' }).backend, clock).records()).toEqual([]);
	});

	it('keeps what a link refused on its device’s record, across later messages and a restart', () => {
		const { backend } = memoryStore();
		const log = new LinkLog(backend, clock);
		log.heard('mesh', 'peer-uuid-1', false);
		now += 100;
		log.refused('mesh', 'peer-uuid-1', false, 'broken-update');
		now += 100;
		log.heard('mesh', 'peer-uuid-1', false);
		log.identify('mesh', 'peer-uuid-1', 'member-ben');
		expect(log.get('mesh', 'member-ben')).toMatchObject({
			lastSyncAt: 1_000_200,
			problem: { kind: 'broken-update', at: 1_000_100 }
		});
		log.destroy();
		expect(new LinkLog(backend, clock).get('mesh', 'member-ben')?.problem).toEqual({
			kind: 'broken-update',
			at: 1_000_100
		});
	});

	it('keeps a stored record whose problem it cannot read, leaving the problem out', () => {
		const good = {
			transport: 'mesh',
			peer: 'member-ana',
			known: true,
			lastSyncAt: 5,
			problem: { kind: 'over-budget', at: 4 }
		};
		const bare = { transport: 'mesh', peer: 'member-ana', known: true, lastSyncAt: 5 };
		const { backend } = memoryStore([
			good,
			// A kind a later version added, and damaged ones.
			{ ...good, peer: 'member-ben', problem: { kind: 'rm -rf', at: 4 } },
			{ ...good, peer: 'member-cleo', problem: { kind: 'over-budget', at: 'now' } },
			{ ...good, peer: 'member-dan', problem: 'over-budget' }
		]);
		expect(new LinkLog(backend, clock).records()).toEqual([
			good,
			{ ...bare, peer: 'member-ben' },
			{ ...bare, peer: 'member-cleo' },
			{ ...bare, peer: 'member-dan' }
		]);
	});

	it('shows refused entries on a record but does not write them down, for older versions', () => {
		const { store, backend } = memoryStore();
		const log = new LinkLog(backend, clock);
		log.heard('mesh', 'member-ben', true);
		log.refused('mesh', 'member-ben', true, 'refused-entries');
		expect(log.get('mesh', 'member-ben')?.problem?.kind).toBe('refused-entries');
		log.flush();
		// An older version drops a whole record whose problem it does not know.
		expect(store.saved).toEqual([
			{ transport: 'mesh', peer: 'member-ben', known: true, lastSyncAt: now }
		]);
		// Kinds older versions know are written as before.
		log.refused('mesh', 'member-ben', true, 'broken-update');
		log.flush();
		expect((store.saved as LinkRecord[])[0]?.problem?.kind).toBe('broken-update');
	});

	it('forgets the oldest records beyond its limit', () => {
		const log = new LinkLog(memoryStore().backend, clock);
		for (let i = 0; i < MAX_RECORDS + 5; i++) {
			now += 1;
			log.heard('mesh', `member-${i}`, true);
		}
		const peers = log.records().map((r) => r.peer);
		expect(peers).toHaveLength(MAX_RECORDS);
		expect(peers).not.toContain('member-0');
		expect(peers[0]).toBe(`member-${MAX_RECORDS + 4}`);
	});
});

describe('link rows', () => {
	it('lists open links, then devices seen before, then files, each newest first', () => {
		let now = 100;
		const log = new LinkLog(memoryStore().backend, () => now);
		log.heard('mesh', 'member-ben', true); // 100, open again now
		now = 200;
		log.heard('mesh', 'member-cleo', true); // 200, gone
		now = 300;
		log.heard('pairing', 'member-dan', true); // 300, gone
		log.heard('file', 'imported', true, 'new');
		now = 400;
		log.heard('mesh', 'peer-anon', false);

		const rows = linkRows(
			[
				{ transport: 'mesh', linkId: 'peer-b', member: 'member-ben', state: 'linked' },
				{ transport: 'mesh', linkId: 'peer-anon', member: null, state: 'connecting' },
				{
					transport: 'pairing',
					linkId: 'paired-0',
					member: null,
					state: 'linked',
					lastSyncAt: 350
				}
			],
			log
		);
		expect(rows.map((r) => [r.transport, r.member, r.state, r.lastSyncAt])).toEqual([
			['mesh', null, 'connecting', 400],
			['pairing', null, 'linked', 350],
			['mesh', 'member-ben', 'linked', 100],
			['pairing', 'member-dan', 'not connected', 300],
			['mesh', 'member-cleo', 'not connected', 200],
			['file', null, 'done', 300]
		]);
		expect(rows.at(-1)?.file).toEqual({ action: 'imported', changed: true });
	});

	it('shows on a row what its link last refused, open or not', () => {
		const log = new LinkLog(memoryStore().backend, () => 500);
		log.heard('mesh', 'member-ben', true, undefined, 100);
		log.refused('mesh', 'member-ben', true, 'broken-update', 200);
		log.refused('mesh', 'member-cleo', true, 'over-budget', 300);
		const rows = linkRows(
			[{ transport: 'mesh', linkId: 'peer-b', member: 'member-ben', state: 'linked' }],
			log
		);
		expect(rows.map((r) => [r.member, r.state, r.problem])).toEqual([
			['member-ben', 'linked', { kind: 'broken-update', at: 200 }],
			['member-cleo', 'not connected', { kind: 'over-budget', at: 300 }]
		]);
	});

	it('reads file records saved as English sentences by earlier versions', () => {
		const log = new LinkLog(memoryStore().backend, () => 1);
		log.heard('file', 'exported', true, 'exported Shelter-2026-01-02.barnraise');
		log.heard('file', 'imported', true, 'imported a bundle with nothing new');
		expect(linkRows([], log).map((row) => row.file)).toEqual([
			{ action: 'exported', filename: 'Shelter-2026-01-02.barnraise' },
			{ action: 'imported', changed: false }
		]);
	});
});
