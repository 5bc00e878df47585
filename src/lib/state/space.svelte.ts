// Everything a space's screens need, as one reactive object over a
// SpaceSession: the board, members, the space's name, sync and save status,
// and the actions a member can take. Actions go through the doc layer with
// this device's member id; views never touch the Y.Doc.
import type * as Y from 'yjs';
import { newId, type MemberId, type PostId } from '../domain/ids';
import type { Member, SpaceMeta } from '../domain/space';
import type { PostFields, PostStatus } from '../domain/post';
import { colorFor } from '../domain/space';
import {
	claimPost,
	createPost,
	membersMap,
	metaMap,
	readMembers,
	readMeta,
	setPostStatus,
	unclaimPost,
	updatePost,
	upsertMember
} from '../doc/space-doc';
import { LinkLog, linkRows, localLinkStore, type LinkRow } from '../sync/link-log';
import { LinkWatch } from '../sync/link-watch';
import { NetworkStatus, type NetworkSnapshot } from '../sync/network-status';
import type { SaveState } from '../sync/save-tracker';
import type { SpaceSession } from '../sync/session';
import { PairedLink } from '../sync/paired-link';
import { decodePairingCode, encodePairingCode } from '../sync/pairing-code';
import { loadSettings } from '../device/device-store';
import {
	exportSpaceBundle,
	importSpaceBundle,
	parseStateCode,
	stateCode
} from '../sync/space-bundle';
import { AssetsModel } from './assets.svelte';
import { BoardModel } from './board.svelte';
import { SuppliesModel } from './supplies.svelte';
import { createNotifier } from './subscribers';

/** Reactive view of a plain Y.Map read (small maps: re-read on any change). */
class MapReading<T> {
	#map: Y.Map<unknown>;
	#read: () => T;
	#value: T;
	#notifier = createNotifier();

	constructor(map: Y.Map<unknown>, read: () => T) {
		this.#map = map;
		this.#read = read;
		this.#value = read();
		map.observe(this.#onChange);
	}
	get current(): T {
		this.#notifier.track();
		return this.#value;
	}
	#onChange = () => {
		this.#value = this.#read();
		this.#notifier.notify();
	};
	destroy() {
		this.#map.unobserve(this.#onChange);
	}
}

/** Follow an outside source that has `subscribe(listener)` and a getter. */
class Followed<T> {
	#get: () => T;
	#notifier = createNotifier();
	#unsubscribe: () => void;
	constructor(subscribe: (listener: () => void) => () => void, get: () => T) {
		this.#get = get;
		this.#unsubscribe = subscribe(() => this.#notifier.notify());
	}
	get current(): T {
		this.#notifier.track();
		return this.#get();
	}
	destroy() {
		this.#unsubscribe();
	}
}

export interface PairingView {
	link: PairedLink;
	state: PairedLink['state'];
	initiator: boolean;
	lastSyncAt: number | null;
	error: string;
}

export class SpaceModel {
	readonly session: SpaceSession;
	readonly memberId: MemberId;
	readonly board: BoardModel;
	#meta: MapReading<SpaceMeta | null>;
	#members: MapReading<Map<MemberId, Member>>;
	#network: NetworkStatus;
	#networkReading: Followed<NetworkSnapshot>;
	#saveReading: Followed<SaveState>;
	#supplies: SuppliesModel | null = null;
	#assets: AssetsModel | null = null;
	#pairings = new Set<PairedLink>();
	#pairingNotifier = createNotifier();
	#linkLog: LinkLog;
	#linkWatch: LinkWatch;
	#linkNotifier = createNotifier();

	constructor(session: SpaceSession, memberId: MemberId, displayName: string) {
		this.session = session;
		this.memberId = memberId;
		const doc = session.doc;
		this.board = new BoardModel(doc);
		this.#meta = new MapReading(metaMap(doc), () => readMeta(doc));
		this.#members = new MapReading(membersMap(doc), () => readMembers(doc));
		this.#network = new NetworkStatus(session.provider);
		this.#networkReading = new Followed(
			(listener) => this.#network.subscribe(listener),
			() => this.#network.snapshot
		);
		this.#saveReading = new Followed(
			(listener) => session.saves.subscribe(listener),
			() => session.saves.state
		);
		this.#linkLog = new LinkLog(localLinkStore(session.spaceId));
		this.#linkWatch = new LinkWatch(session.provider, this.#linkLog, () =>
			this.#linkNotifier.notify()
		);
		upsertMember(doc, memberId, {
			name: displayName,
			color: colorFor(memberId),
			joinedAt: Date.now()
		});
	}

	/** The supply log, built the first time a view asks for it. */
	get supplies(): SuppliesModel {
		this.#supplies ??= new SuppliesModel(this.session.doc, this.memberId);
		return this.#supplies;
	}

	/** The asset map, built the first time a view asks for it. */
	get assets(): AssetsModel {
		this.#assets ??= new AssetsModel(this.session.doc, this.memberId);
		return this.#assets;
	}

	get meta(): SpaceMeta | null {
		return this.#meta.current;
	}
	get members(): Map<MemberId, Member> {
		return this.#members.current;
	}
	get network(): NetworkSnapshot {
		return this.#networkReading.current;
	}
	get saveState(): SaveState {
		return this.#saveReading.current;
	}

	memberName(id: string): string {
		return this.members.get(id as MemberId)?.name ?? 'someone';
	}

	createPost(fields: PostFields): PostId {
		const id = newId<'PostId'>();
		createPost(this.session.doc, id, fields, this.memberId, Date.now());
		return id;
	}
	updatePost(id: PostId, fields: Partial<PostFields>): void {
		updatePost(this.session.doc, id, fields, Date.now());
	}
	setStatus(id: PostId, status: PostStatus): void {
		setPostStatus(this.session.doc, id, status, Date.now());
	}
	claim(id: PostId, note = ''): void {
		claimPost(this.session.doc, id, this.memberId, { at: Date.now(), note });
	}
	unclaim(id: PostId): void {
		unclaimPost(this.session.doc, id, this.memberId);
	}
	setSyncing(on: boolean): void {
		this.session.setSyncing(on);
	}

	/** What this device has, as a short code another device can export a delta for. */
	stateCode(): string {
		return stateCode(this.session.doc);
	}

	/** An encrypted bundle of the space, or of what the device with `sinceCode` lacks. */
	async exportBundle(sinceCode: string | null): Promise<{ bytes: Uint8Array; filename: string }> {
		const since = sinceCode ? parseStateCode(sinceCode) : null;
		const { file } = await exportSpaceBundle(this.session.doc, this.session.secrets, since);
		const name = (this.meta?.name ?? 'space').replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 40);
		const day = new Date().toISOString().slice(0, 10);
		const filename = `${name}-${day}${since ? '-delta' : ''}.barnraise`;
		this.#linkLog.heard('file', 'exported', true, `exported ${filename}`);
		this.#linkNotifier.notify();
		return { bytes: file, filename };
	}

	/**
	 * Every device this one syncs with or has synced with, per transport, with
	 * the time each last synced; and the last bundle files made and merged.
	 */
	get links(): LinkRow[] {
		this.#linkNotifier.track();
		this.#pairingNotifier.track();
		const paired = [...this.#pairings]
			.filter((link) => link.state === 'linked' || link.state === 'connecting' || link.lastSyncAt)
			.map((link, i) => ({
				transport: 'pairing' as const,
				linkId: `paired-${i}`,
				member: link.remoteMember,
				state:
					link.state === 'connecting' || link.state === 'failed' || link.state === 'closed'
						? link.state
						: ('linked' as const),
				lastSyncAt: link.lastSyncAt
			}));
		return linkRows([...this.#linkWatch.live(), ...paired], this.#linkLog);
	}

	/**
	 * Direct links made with pairing codes, newest last, as snapshots (a
	 * link's own fields are not reactive; a fresh object per change is).
	 */
	get pairings(): PairingView[] {
		this.#pairingNotifier.track();
		return [...this.#pairings].map((link) => ({
			link,
			state: link.state,
			initiator: link.initiator,
			lastSyncAt: link.lastSyncAt,
			error: link.error
		}));
	}

	#newLink(initiator: boolean): PairedLink {
		const link: PairedLink = new PairedLink(this.session.doc, {
			initiator,
			iceServers: loadSettings().iceServers,
			onChange: () => {
				if (link.remoteMember && link.lastSyncAt)
					this.#linkLog.heard('pairing', link.remoteMember, true, undefined, link.lastSyncAt);
				this.#pairingNotifier.notify();
			}
		});
		this.#pairings.add(link);
		this.#pairingNotifier.notify();
		return link;
	}

	/** Start pairing: a code for the other device to answer. */
	async startPairing(): Promise<{ link: PairedLink; code: string }> {
		const link = this.#newLink(true);
		const code = await encodePairingCode(
			{ ...(await link.code()), member: this.memberId },
			this.session.spaceId,
			this.session.secrets.pairingKey
		);
		return { link, code };
	}

	/** Answer another device's code: the code to show back to it. */
	async answerPairing(offerCode: string): Promise<{ link: PairedLink; code: string }> {
		const offer = await decodePairingCode(
			offerCode,
			this.session.spaceId,
			this.session.secrets.pairingKey
		);
		const link = this.#newLink(false);
		link.accept(offer);
		const code = await encodePairingCode(
			{ ...(await link.code()), member: this.memberId },
			this.session.spaceId,
			this.session.secrets.pairingKey
		);
		return { link, code };
	}

	/** Finish pairing with the other device's answer. */
	async completePairing(link: PairedLink, answerCode: string): Promise<void> {
		link.accept(
			await decodePairingCode(answerCode, this.session.spaceId, this.session.secrets.pairingKey)
		);
	}

	async importBundle(file: Uint8Array): Promise<{ changed: boolean }> {
		const result = await importSpaceBundle(this.session.doc, this.session.secrets, file);
		this.#linkLog.heard(
			'file',
			'imported',
			true,
			result.changed ? 'imported a bundle with new changes' : 'imported a bundle with nothing new'
		);
		this.#linkNotifier.notify();
		return result;
	}

	destroy(): void {
		for (const link of this.#pairings) link.destroy();
		this.#linkWatch.destroy();
		this.#linkLog.destroy();
		this.#supplies?.destroy();
		this.#assets?.destroy();
		this.board.destroy();
		this.#meta.destroy();
		this.#members.destroy();
		this.#networkReading.destroy();
		this.#saveReading.destroy();
		this.#network.destroy();
	}
}
