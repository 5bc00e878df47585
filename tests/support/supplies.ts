// Supply-log entries for unit tests: every field filled, each new entry with
// a fresh id and a later time, overridden where a test cares.
import { ENTRY_DEFAULTS, type Entry } from '../../src/lib/domain/supplies';
import type { EntryId, ItemId, MemberId, SiteId } from '../../src/lib/domain/ids';

/**
 * A maker of entries for one test file: `item` and `site` by default, ids
 * `entry-<prefix><n>`, recorded `stepMs` apart.
 */
export function entryMaker(defaults: {
	item: ItemId;
	site: SiteId;
	prefix?: string;
	stepMs?: number;
}): (overrides: Partial<Entry>) => Entry {
	const { item, site, prefix = '', stepMs = 1000 } = defaults;
	let n = 0;
	return (overrides) => {
		n += 1;
		return {
			id: `entry-${prefix}${String(n).padStart(6, '0')}` as EntryId,
			kind: 'received',
			item,
			site,
			quantity: 10,
			...ENTRY_DEFAULTS,
			recordedBy: 'member-ana-0001' as MemberId,
			recordedAt: n * stepMs,
			...overrides
		};
	};
}
