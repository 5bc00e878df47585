// Sync v2's word on other devices' changes, for views: which were refused and
// why, by whose device when that is known. A device is known by the member
// record it wrote (every device announces its member when it opens a space);
// until then it is shown by the start of its key. Empty when v2 is off.
import type { AuthorRefusal, EngineEvent } from '../sync/v2/engine';
import { authorKey } from '../sync/v2/author-key';
import type { AuthorId } from '../sync/v2/entry';
import type { SpaceSession } from '../sync/session';
import { ROOTS } from '../doc/roots';
import { destroyWithDoc } from './reactive';
import { createNotifier } from './subscribers';

export type { AuthorRefusal };

export interface RefusedChange {
	/** The start of the device's key, to tell unnamed devices apart. */
	device: string;
	/** The member whose record that device wrote, when known. */
	member: string | null;
	reason: AuthorRefusal;
	/** When this device refused it; null for a refusal kept from before it opened. */
	at: number | null;
}

const REASONS: ReadonlySet<string> = new Set<AuthorRefusal>([
	'unreadable',
	'other-writer',
	'fact-changed',
	'fact-deleted',
	'unsupported-kind',
	'fork',
	'bad-checkpoint',
	'legacy-forged'
]);

export class SignedChanges {
	#notifier = createNotifier();
	#refused = new Map<string, { author: AuthorId; reason: AuthorRefusal; at: number | null }>();
	/** Which member each device (by key) wrote the record of. */
	#members = new Map<string, string>();

	constructor(session: SpaceSession) {
		const signed = session.signed;
		for (const stop of signed.engine.stops())
			if (REASONS.has(stop.reason))
				this.#refused.set(authorKey(stop.author), {
					author: stop.author,
					reason: stop.reason as AuthorRefusal,
					at: null
				});
		const stop = signed.listen((event) => this.#hear(event));
		destroyWithDoc(session.doc, stop);
	}

	#hear(event: EngineEvent): void {
		if (event.type === 'accepted') {
			// Imported old content holds every member record from before signatures: none is the importer's.
			if (event.legacy) return;
			const member = event.changes.find((change) => change.root === ROOTS.members);
			const key = authorKey(event.author);
			// The first member record a device writes is its own (it announces itself).
			if (!member || this.#members.has(key)) return;
			this.#members.set(key, member.key);
		} else if (event.type === 'refused' || event.type === 'fork') {
			const reason = event.type === 'fork' ? 'fork' : event.reason;
			this.#refused.set(authorKey(event.author), { author: event.author, reason, at: Date.now() });
		} else return;
		this.#notifier.notify();
	}

	/** Newest first. Reactive. */
	get refused(): RefusedChange[] {
		this.#notifier.track();
		return [...this.#refused.entries()]
			.map(([key, { reason, at }]) => ({
				device: key.slice(0, 8),
				member: this.#members.get(key) ?? null,
				reason,
				at
			}))
			.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
	}
}
