// Which devices this one has synced with, over which transport, and when it
// last heard from each — remembered across restarts, because a field team
// wants to know "when did we last sync with the shelter's laptop?" days later.
//
// A live link carries every edit the moment it is made, so "last synced" over
// a link is the last time anything (an edit, or the presence heartbeat every
// few seconds) arrived over it. For a file it is when the bundle was made or
// merged.
//
// A link may also have refused something the device at the other end sent
// (a damaged update, a message it could not read: link-problem.ts); the last
// such refusal stays on that device's record, with its time, until a newer one.
import type { LinkProblem } from './link-problem';

export type Transport = 'mesh' | 'pairing' | 'tab' | 'file';

export interface LinkRecord {
	transport: Transport;
	/**
	 * Who is at the other end: a member id when known (presence, pairing codes),
	 * else the link's own id for this session only. Files have none.
	 */
	peer: string;
	/** True when `peer` is a member id (such records are remembered). */
	known: boolean;
	lastSyncAt: number;
	/**
	 * For files (whose `peer` says what happened: "exported", "imported"): the
	 * file's name when exported; "new" or "nothing-new" when imported.
	 */
	detail?: string;
	/** The last thing this device refused from that one, and when. */
	problem?: RecordedProblem;
}

/** What a link refused (never a connection failure: those are the link's state). */
export type RefusalKind = Exclude<LinkProblem['kind'], 'connection'>;
export interface RecordedProblem {
	kind: RefusalKind;
	at: number;
}

const REFUSAL_KINDS = new Set<string>([
	'unreadable-message',
	'broken-update',
	'message-expired',
	'over-budget',
	'refused-entries'
] satisfies RefusalKind[]);

function isProblem(value: unknown): value is RecordedProblem {
	if (typeof value !== 'object' || value === null) return false;
	const problem = value as Record<string, unknown>;
	return (
		REFUSAL_KINDS.has(problem.kind as string) &&
		typeof problem.at === 'number' &&
		Number.isFinite(problem.at)
	);
}

export interface LinkLogStore {
	load(): unknown;
	save(records: LinkRecord[]): void;
}

/** Records kept per space; the oldest are forgotten first. */
export const MAX_RECORDS = 60;
/** Writes to storage are at most this often (heartbeats arrive every few seconds). */
export const SAVE_EVERY_MS = 5_000;

const TRANSPORTS = new Set<Transport>(['mesh', 'pairing', 'tab', 'file']);

/**
 * Problems that versions before them did not know, and threw the whole
 * record away for on reading it (a tab still on the old app beside an
 * updated one would then lose when a device last synced). Shown while the
 * app runs, not written down.
 */
const UNKNOWN_TO_OLDER_VERSIONS: ReadonlySet<RefusalKind> = new Set<RefusalKind>([
	'refused-entries'
]);

/** A stored record, or null when it is damaged; a problem it cannot read is left out. */
function readRecord(value: unknown): LinkRecord | null {
	if (typeof value !== 'object' || value === null) return null;
	const record = value as Record<string, unknown>;
	const valid =
		TRANSPORTS.has(record.transport as Transport) &&
		typeof record.peer === 'string' &&
		record.known === true &&
		typeof record.lastSyncAt === 'number' &&
		Number.isFinite(record.lastSyncAt) &&
		(record.detail === undefined || typeof record.detail === 'string');
	if (!valid) return null;
	// A problem of a kind a later version added, or damaged: the record is kept without it.
	if (record.problem === undefined || isProblem(record.problem))
		return record as unknown as LinkRecord;
	const rest = { ...record };
	delete rest.problem;
	return rest as unknown as LinkRecord;
}

/** The later of two records' problems. */
function newer(a: LinkRecord, b: LinkRecord | undefined): RecordedProblem | undefined {
	if (!b?.problem) return a.problem;
	if (!a.problem) return b.problem;
	return a.problem.at >= b.problem.at ? a.problem : b.problem;
}

const keyOf = (record: Pick<LinkRecord, 'transport' | 'peer'>) =>
	`${record.transport}\u0000${record.peer}`;

export class LinkLog {
	#records = new Map<string, LinkRecord>();
	#store: LinkLogStore;
	#now: () => number;
	#lastSave = 0;
	#saveTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(store: LinkLogStore, now: () => number = Date.now) {
		this.#store = store;
		this.#now = now;
		const stored = store.load();
		// A damaged entry in storage is skipped, never fatal.
		if (Array.isArray(stored))
			for (const value of stored) {
				const record = readRecord(value);
				if (record) this.#put(record);
			}
	}

	/** Something arrived from (or, for files, went to) `peer` over `transport` just now. */
	heard(
		transport: Transport,
		peer: string,
		known: boolean,
		detail?: string,
		at = this.#now()
	): void {
		const record: LinkRecord = { transport, peer, known, lastSyncAt: at };
		if (detail !== undefined) record.detail = detail;
		const problem = this.get(transport, peer)?.problem;
		if (problem) record.problem = problem;
		this.#put(record);
		if (known) this.#scheduleSave();
	}

	/** The link to `peer` refused something it sent (link-problem.ts), just now. */
	refused(
		transport: Transport,
		peer: string,
		known: boolean,
		kind: RefusalKind,
		at = this.#now()
	): void {
		const record = this.get(transport, peer) ?? { transport, peer, known, lastSyncAt: at };
		this.#put({ ...record, problem: { kind, at } });
		if (known) this.#scheduleSave();
	}

	/**
	 * A link learned who is at its other end: what it heard under the link id
	 * now belongs to that member.
	 */
	identify(transport: Transport, linkId: string, member: string): void {
		const anonymous = this.#records.get(keyOf({ transport, peer: linkId }));
		if (!anonymous) return;
		this.#records.delete(keyOf(anonymous));
		const existing = this.#records.get(keyOf({ transport, peer: member }));
		if (!existing || existing.lastSyncAt < anonymous.lastSyncAt)
			this.#put({ ...anonymous, peer: member, known: true, problem: newer(anonymous, existing) });
		else if (anonymous.problem) this.#put({ ...existing, problem: newer(anonymous, existing) });
		this.#scheduleSave();
	}

	get(transport: Transport, peer: string): LinkRecord | undefined {
		return this.#records.get(keyOf({ transport, peer }));
	}

	/** Newest first. */
	records(): LinkRecord[] {
		return [...this.#records.values()].sort((a, b) => b.lastSyncAt - a.lastSyncAt);
	}

	#put(record: LinkRecord): void {
		const key = keyOf(record);
		this.#records.delete(key);
		this.#records.set(key, record);
		if (this.#records.size > MAX_RECORDS) {
			const oldest = this.records().at(-1);
			if (oldest) this.#records.delete(keyOf(oldest));
		}
	}

	#scheduleSave(): void {
		if (this.#saveTimer !== undefined) return;
		const wait = Math.max(0, this.#lastSave + SAVE_EVERY_MS - this.#now());
		this.#saveTimer = setTimeout(() => this.flush(), wait);
	}

	/** Write what is to be remembered now. */
	flush(): void {
		clearTimeout(this.#saveTimer);
		this.#saveTimer = undefined;
		this.#lastSave = this.#now();
		this.#store.save(
			this.records()
				.filter((record) => record.known)
				.map((record) => {
					if (!record.problem || !UNKNOWN_TO_OLDER_VERSIONS.has(record.problem.kind)) return record;
					const rest = { ...record };
					delete rest.problem;
					return rest;
				})
		);
	}

	destroy(): void {
		if (this.#saveTimer !== undefined) this.flush();
	}
}

const linkLogKey = (spaceId: string) => `barnraise:links:${spaceId}`;
/** Spaces removed from this device: a store still open for one (closing) saves nothing more. */
const forgotten = new Set<string>();

/** Forget a space's list of links on this device (when the space is removed from it). */
export function forgetLinkLog(spaceId: string): void {
	forgotten.add(spaceId);
	try {
		localStorage.removeItem(linkLogKey(spaceId));
	} catch {
		// Storage blocked: nothing was kept either.
	}
}

/** A LinkLog store in localStorage, per space. */
export function localLinkStore(spaceId: string): LinkLogStore {
	const key = linkLogKey(spaceId);
	// Opened again (joined again after a removal): its list is wanted again.
	forgotten.delete(spaceId);
	return {
		load() {
			try {
				return JSON.parse(localStorage.getItem(key) ?? '[]');
			} catch {
				return [];
			}
		},
		save(records) {
			if (forgotten.has(spaceId)) return;
			try {
				localStorage.setItem(key, JSON.stringify(records));
			} catch {
				// Storage full or blocked: the list is a convenience, the space is unaffected.
			}
		}
	};
}

/** A bundle file made or merged here. */
export type FileEvent =
	{ action: 'exported'; filename: string } | { action: 'imported'; changed: boolean };

/** A file record as an event; earlier versions saved an English sentence as its detail. */
function fileEvent(record: LinkRecord): FileEvent {
	const detail = record.detail ?? '';
	if (record.peer === 'exported')
		return { action: 'exported', filename: detail.replace(/^exported /, '') };
	return { action: 'imported', changed: detail === 'new' || detail.endsWith('new changes') };
}

/** One line of the links list: a device, how this one reaches it, and when it last synced. */
export interface LinkRow {
	transport: Transport;
	/** The member at the other end, when known. */
	member: string | null;
	state: 'linked' | 'connecting' | 'not connected' | 'closed' | 'failed' | 'done';
	lastSyncAt: number | null;
	/** For a file: what happened to it. */
	file?: FileEvent;
	/** The last thing this device refused from that one. */
	problem?: RecordedProblem;
}

/** A link open now: y-webrtc's, or a paired one. */
export interface OpenLink {
	transport: 'mesh' | 'tab' | 'pairing';
	linkId: string;
	member: string | null;
	state: LinkRow['state'];
	/** When the link itself knows (paired links do); otherwise the log says. */
	lastSyncAt?: number | null;
}

/**
 * Every open link, then every device remembered from before that is not open
 * now, then files: each newest first.
 */
export function linkRows(open: OpenLink[], log: LinkLog): LinkRow[] {
	const rows: LinkRow[] = open.map((link) => {
		const record = log.get(link.transport, link.member ?? link.linkId);
		const row: LinkRow = {
			transport: link.transport,
			member: link.member,
			state: link.state,
			lastSyncAt: link.lastSyncAt ?? record?.lastSyncAt ?? null
		};
		if (record?.problem) row.problem = record.problem;
		return row;
	});
	const shown = new Set(
		open.filter((link) => link.member).map((link) => `${link.transport}\u0000${link.member}`)
	);
	const earlier: LinkRow[] = [];
	const files: LinkRow[] = [];
	for (const record of log.records()) {
		if (!record.known) continue;
		if (record.transport === 'file') {
			files.push({
				transport: 'file',
				member: null,
				state: 'done',
				lastSyncAt: record.lastSyncAt,
				file: fileEvent(record)
			});
		} else if (!shown.has(`${record.transport}\u0000${record.peer}`)) {
			const row: LinkRow = {
				transport: record.transport,
				member: record.peer,
				state: 'not connected',
				lastSyncAt: record.lastSyncAt
			};
			if (record.problem) row.problem = record.problem;
			earlier.push(row);
		}
	}
	const newestFirst = (a: LinkRow, b: LinkRow) => (b.lastSyncAt ?? 0) - (a.lastSyncAt ?? 0);
	return [...rows.sort(newestFirst), ...earlier, ...files];
}
