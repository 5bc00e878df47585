import { describe, expect, it } from 'vitest';
import { parseAsset, parseBaseMap, parseLink } from './assets';
import { parsePost } from './post';
import { parseMember } from './space';
import { parseEntry, parseItem, parseSite } from './supplies';
import {
	migrateRecord,
	needsNewerApp,
	RECORD_TYPES,
	RECORD_VERSIONS,
	SPACE_SCHEMA_VERSION,
	stampVersion,
	type RecordType,
	type VersionTable
} from './versions';

const ID = 'record-0000000001';
const BY = 'member-ana-0001';

/**
 * A stored record of every version of every type, as an app of that version
 * wrote it. Never edit one: add the next version's example beside it.
 */
const EXAMPLES: Record<RecordType, Record<number, unknown>> = {
	post: {
		1: {
			kind: 'need',
			title: 'Drinking water',
			status: 'open',
			createdBy: BY,
			createdAt: 1,
			updatedAt: 1,
			claims: {}
		}
	},
	member: { 1: { name: 'Ana', color: '#0b57d0', joinedAt: 1 } },
	site: { 1: { name: 'Depot', kind: 'depot', createdAt: 1 } },
	item: { 1: { name: 'Water', unit: 'liter', category: 'water', createdAt: 1, lowStock: {} } },
	entry: {
		1: {
			kind: 'received',
			item: 'item-000000000001',
			site: 'site-000000000001',
			quantity: 10,
			recordedBy: BY,
			recordedAt: 1
		}
	},
	asset: {
		1: {
			kind: 'skill',
			name: 'Nurse',
			place: { kind: 'none' },
			createdBy: BY,
			createdAt: 1,
			updatedAt: 1
		}
	},
	assetLink: {
		1: {
			from: 'asset-00000000001',
			to: 'asset-00000000002',
			relation: 'knows',
			createdBy: BY,
			createdAt: 1
		}
	},
	baseMap: {
		1: { name: 'Sketch', width: 100, height: 80, mime: 'image/jpeg', createdBy: BY, createdAt: 1 }
	}
};

/** Read a raw record the way the doc layer does, through its type's real parser. */
const READERS: Record<RecordType, (raw: unknown) => { ok: boolean; problem?: string }> = {
	post: (raw) => parsePost(ID, raw),
	member: (raw) => (parseMember(raw) ? { ok: true } : { ok: false }),
	site: (raw) => parseSite(ID, raw),
	item: (raw) => parseItem(ID, raw),
	entry: (raw) => parseEntry(ID, raw),
	asset: (raw) => parseAsset(ID, raw),
	assetLink: (raw) => parseLink(ID, raw),
	baseMap: (raw) => parseBaseMap(ID, raw)
};

describe('record versions', () => {
	it.each(RECORD_TYPES)('%s: a step for every version past 1, and none beyond', (type) => {
		const { current, up } = RECORD_VERSIONS[type];
		const expected = Array.from({ length: current - 1 }, (_, i) => String(i + 2));
		expect(Object.keys(up).sort()).toEqual(expected.sort());
	});

	it.each(RECORD_TYPES)('%s: a stored example of every version reads today', (type) => {
		const { current } = RECORD_VERSIONS[type];
		for (let version = 1; version <= current; version++) {
			const example = EXAMPLES[type][version];
			expect(example, `no stored ${type} of version ${version}`).toBeDefined();
			const stamped = version > 1 ? { ...(example as object), v: version } : example;
			expect(READERS[type](stamped)).toMatchObject({ ok: true });
		}
	});

	it('brings an old record up step by step, on a copy', () => {
		const table: VersionTable = {
			...RECORD_VERSIONS,
			site: {
				current: 3,
				up: {
					2: ({ name, ...rest }) => ({ ...rest, title: name }),
					3: (record) => ({ ...record, title: String(record.title).toUpperCase() })
				}
			}
		};
		const stored = { name: 'Depot', kind: 'depot' };
		expect(migrateRecord('site', stored, table)).toEqual({
			ok: true,
			value: { title: 'DEPOT', kind: 'depot' }
		});
		expect(migrateRecord('site', { v: 2, title: 'Church' }, table)).toEqual({
			ok: true,
			value: { title: 'CHURCH' }
		});
		expect(stored).toEqual({ name: 'Depot', kind: 'depot' });
		expect(stampVersion('site', { title: 'X' }, table)).toEqual({ title: 'X', v: 3 });
	});

	it('refuses, with a message, a record from a newer app or with a broken version', () => {
		for (const type of RECORD_TYPES) {
			const newer = { ...(EXAMPLES[type][1] as object), v: RECORD_VERSIONS[type].current + 1 };
			expect(migrateRecord(type, newer)).toEqual({
				ok: false,
				problem: expect.stringContaining('newer version of Barnraise')
			});
			expect(READERS[type](newer).ok).toBe(false);
		}
		expect(migrateRecord('post', { v: 'two' })).toMatchObject({ ok: false });
		expect(migrateRecord('post', { v: 0 })).toMatchObject({ ok: false });
		const table: VersionTable = { ...RECORD_VERSIONS, post: { current: 2, up: {} } };
		expect(migrateRecord('post', {}, table)).toMatchObject({ ok: false });
	});

	it('writes no version field while a type is at version 1', () => {
		for (const type of RECORD_TYPES) {
			if (RECORD_VERSIONS[type].current === 1)
				expect(stampVersion(type, { a: 1 })).toEqual({ a: 1 });
		}
	});

	it('says when a space needs a newer app', () => {
		expect(needsNewerApp(SPACE_SCHEMA_VERSION)).toBe(false);
		expect(needsNewerApp(SPACE_SCHEMA_VERSION + 1)).toBe(true);
	});
});
