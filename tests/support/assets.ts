// Assets and links for unit tests: valid records with every field filled,
// overridden where a test cares.
import type { Asset, AssetFields, AssetLink } from '../../src/lib/domain/assets';
import type { AssetId, LinkId } from '../../src/lib/domain/ids';
import type { MemberId } from '../../src/lib/domain/ids';

export const BY = 'member-ana-0001' as MemberId;

/** What a person fills in for an asset: a skill with no place, unless overridden. */
export function assetFields(fields: Partial<AssetFields> = {}): AssetFields {
	return {
		kind: 'skill',
		name: 'An asset',
		description: '',
		tags: [],
		availability: '',
		contact: '',
		locationText: '',
		place: { kind: 'none' },
		...fields
	};
}

export function asset(id: string, fields: Partial<Asset> = {}): Asset {
	return {
		id: id as AssetId,
		...assetFields({ name: id }),
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
