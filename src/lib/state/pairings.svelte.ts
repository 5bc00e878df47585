// Direct links made by exchanging pairing codes, for views: start one,
// answer one, finish one, and each link's state. Views hold a link's number,
// never the live transport object.
import type { MemberId } from '../domain/ids';
import { loadSettings } from '../device/device-store';
import type { OpenLink } from '../sync/link-log';
import { PairedLink, type LinkState } from '../sync/paired-link';
import { decodePairingCode, encodePairingCode } from '../sync/pairing-code';
import type { SpaceSession } from '../sync/session';
import { destroyWithDoc } from './reactive';
import { createNotifier } from './subscribers';

export type PairingState = LinkState;

export interface PairingView {
	/** This link's number on this device (1, 2, …). */
	id: number;
	state: PairingState;
	initiator: boolean;
	lastSyncAt: number | null;
	error: string;
}

export class PairingsModel {
	#session: SpaceSession;
	#memberId: MemberId;
	#links = new Map<number, PairedLink>();
	#nextId = 1;
	#notifier = createNotifier();
	#onSynced: (member: string, at: number) => void;

	/** `onSynced` hears each sync with a device whose member id its code gave. */
	constructor(
		session: SpaceSession,
		memberId: MemberId,
		onSynced: (member: string, at: number) => void
	) {
		this.#session = session;
		this.#memberId = memberId;
		this.#onSynced = onSynced;
		destroyWithDoc(session.doc, () => {
			for (const link of this.#links.values()) link.destroy();
		});
	}

	/** Links made with pairing codes, oldest first, as snapshots. Reactive. */
	get views(): PairingView[] {
		this.#notifier.track();
		return [...this.#links].map(([id, link]) => ({
			id,
			state: link.state,
			initiator: link.initiator,
			lastSyncAt: link.lastSyncAt,
			error: link.error
		}));
	}

	/** How many paired links are up now. Reactive. */
	get linkedCount(): number {
		return this.views.filter((view) => view.state === 'linked').length;
	}

	/** Paired links for the links list: open, opening, or synced before. Reactive. */
	get openLinks(): OpenLink[] {
		this.#notifier.track();
		return [...this.#links]
			.filter(
				([, link]) => link.state === 'linked' || link.state === 'connecting' || link.lastSyncAt
			)
			.map(([id, link]) => ({
				transport: 'pairing' as const,
				linkId: `paired-${id}`,
				member: link.remoteMember,
				state:
					link.state === 'connecting' || link.state === 'failed' || link.state === 'closed'
						? link.state
						: ('linked' as const),
				lastSyncAt: link.lastSyncAt
			}));
	}

	#newLink(initiator: boolean): [number, PairedLink] {
		const link: PairedLink = new PairedLink(this.#session.doc, {
			initiator,
			iceServers: loadSettings().iceServers,
			onChange: () => {
				if (link.remoteMember && link.lastSyncAt)
					this.#onSynced(link.remoteMember, link.lastSyncAt);
				this.#notifier.notify();
			}
		});
		const id = this.#nextId++;
		this.#links.set(id, link);
		this.#notifier.notify();
		return [id, link];
	}

	async #codeFor(link: PairedLink): Promise<string> {
		return encodePairingCode(
			{ ...(await link.code()), member: this.#memberId },
			this.#session.spaceId,
			this.#session.secrets.pairingKey
		);
	}

	/** Start pairing: a code for the other device to answer. */
	async start(): Promise<{ id: number; code: string }> {
		const [id, link] = this.#newLink(true);
		return { id, code: await this.#codeFor(link) };
	}

	/** Answer another device's code: the code to show back to it. */
	async answer(offerCode: string): Promise<{ id: number; code: string }> {
		const offer = await decodePairingCode(
			offerCode,
			this.#session.spaceId,
			this.#session.secrets.pairingKey
		);
		const [id, link] = this.#newLink(false);
		link.accept(offer);
		return { id, code: await this.#codeFor(link) };
	}

	/** Finish the pairing this device started, with the other device's answer. */
	async complete(id: number, answerCode: string): Promise<void> {
		const link = this.#links.get(id);
		if (!link) throw new Error('That pairing is no longer open here. Start pairing again.');
		link.accept(
			await decodePairingCode(answerCode, this.#session.spaceId, this.#session.secrets.pairingKey)
		);
	}
}
