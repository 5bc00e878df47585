// Who and what a space is, for views: its description (meta) and its
// members, and this device's own member record in it.
import type * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { colorFor, type Member, type MembersRead, type SpaceMetaRead } from '../domain/space';
import { needsNewerApp, SPACE_SCHEMA_VERSION } from '../domain/versions';
import { membersMap, metaMap, readMembership, readMeta, upsertMember } from '../doc/space-doc';
import { destroyWithDoc, MapReading } from './reactive';
import { m } from '$lib/paraglide/messages';

export class SpaceInfo {
	#doc: Y.Doc;
	#meta: MapReading<SpaceMetaRead | null>;
	#members: MapReading<MembersRead>;
	/** The space schema version this app knows: SIGNED_SCHEMA_VERSION when the space syncs v2. */
	#knownSchema: number;

	/** `onRenamed` hears the space's name when a change to the description brings one. */
	constructor(
		doc: Y.Doc,
		onRenamed?: (name: string) => void,
		knownSchema: number = SPACE_SCHEMA_VERSION
	) {
		this.#doc = doc;
		this.#knownSchema = knownSchema;
		this.#meta = new MapReading(
			metaMap(doc),
			() => readMeta(doc),
			() => null,
			(meta) => {
				if (meta?.name) onRenamed?.(meta.name);
			}
		);
		this.#members = new MapReading(
			membersMap(doc),
			() => readMembership(doc),
			() => ({ members: new Map(), unreadable: [] })
		);
		destroyWithDoc(doc, () => {
			this.#meta.destroy();
			this.#members.destroy();
		});
	}

	/** The description, field by field (a field that could not be read is null); null until it arrives. */
	get meta(): SpaceMetaRead | null {
		return this.#meta.current;
	}
	get members(): Map<MemberId, Member> {
		return this.#members.current.members;
	}
	/** Ids of member records that could not be read: listed, never dropped silently. */
	get unreadableMembers(): string[] {
		return this.#members.current.unreadable;
	}

	/**
	 * The space's schema version when it is past what this app knows (a newer
	 * app changed the space in a way this one must not write into), else null.
	 */
	get newerSchema(): { version: number; known: number } | null {
		// Read on its own, not through the meta schema: a newer app may change
		// other fields so that this app cannot read the rest of its description.
		void this.meta; // re-read whenever the description changes
		const version = metaMap(this.#doc).get('schemaVersion');
		return typeof version === 'number' && needsNewerApp(version, this.#knownSchema)
			? { version, known: this.#knownSchema }
			: null;
	}

	memberName(id: string): string {
		return this.members.get(id as MemberId)?.name ?? m.space_someone();
	}

	/** Put this device's member in the space's list (rewritten only when something changed). */
	announce(memberId: MemberId, displayName: string): void {
		upsertMember(this.#doc, memberId, {
			name: displayName,
			color: colorFor(memberId),
			joinedAt: Date.now()
		});
	}
}
