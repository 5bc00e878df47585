// Assets and links for unit tests: valid records with every field filled,
// overridden where a test cares.
import type { Asset, AssetLink } from '../../src/lib/domain/assets';
import type { AssetId, LinkId } from '../../src/lib/domain/ids';
import type { MemberId } from '../../src/lib/domain/ids';

export const BY = 'member-ana-0001' as MemberId;

export function asset(id: string, fields: Partial<Asset> = {}): Asset {
	return {
		id: id as AssetId,
		kind: 'skill',
		name: id,
		description: '',
		tags: [],
		availability: '',
		contact: '',
		locationText: '',
		place: { kind: 'none' },
		createdBy: BY,
		createdAt: 1,
		updatedAt: 1,
		...fields
	};
}

export function link(
	id: string,
	from: string,
	relation: AssetLink['relation'],
	to: string
): AssetLink {
	return {
		id: id as LinkId,
		from: from as AssetId,
		to: to as AssetId,
		relation,
		createdBy: BY,
		createdAt: 1
	};
}
