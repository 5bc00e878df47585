// Direct links made by exchanging pairing codes, for views: start one,
// answer one, finish one, and each link's state. Views hold a link's number,
// never the live transport object. A code that does not fit comes back as a
// reason (problem-text.ts says it), never as an exception.
import type { MemberId } from '../domain/ids';
import { loadSettings } from '../device/device-store';
import type { OpenLink } from '../sync/link-log';
import type { WrtcImplementation } from '../sync/chunked-wrtc';
import { PairedLink, type LinkProblem, type LinkState } from '../sync/paired-link';
import {
	decodePairingCode,
	encodePairingCode,
	offerTag,
	PairingCodeError,
	type PairingCodeProblem,
	type PairingSignal
} from '../sync/pairing-code';
import type { SpaceSession } from '../sync/session';
import type { LinkedSync } from '../sync/v2/mesh-links';
import { destroyWithDoc } from './reactive';
import { createNotifier } from './subscribers';

export type PairingState = LinkState;
export type { LinkProblem };

/**
 * Why a code was not used: it is not a good code (PairingCodeProblem, which
 * includes too old), or it does not fit here — an offer where an answer was
 * asked for (`expected-answer`), this device's pairing is gone (`gone`), the
 * offer was already answered and linked (`already-answered`), the answer is
 * for another of this device's codes (`answers-another-code`), or for a code
 * this device no longer waits on (`stale-answer`), this device's own code
 * (`own-code`: answering it would link the device to itself), or an answer
 * where a code to answer was asked for (`answer-not-offer`).
 */
export type PairingProblem =
	| PairingCodeProblem
	| 'expected-answer'
	| 'gone'
	| 'already-answered'
	| 'answers-another-code'
	| 'stale-answer'
	| 'own-code'
	| 'answer-not-offer';

/** A refusal; `minutes` says how old (or how far ahead) a code's time was, for those problems. */
export type PairingRefusal = { ok: false; problem: PairingProblem; minutes?: number };

export type PairingResult<T> = ({ ok: true } & T) | PairingRefusal;

/** What a pairings model is given besides its session; tests pass their own. */
export interface PairingsOptions {
	/** Defaults to the browser's WebRTC; Node tests pass @roamhq/wrtc. */
	wrtc?: WrtcImplementation;
	/** This device's clock, for the time codes carry. */
	now?: () => number;
}

export interface PairingView {
	/** This link's number on this device (1, 2, …). */
	id: number;
	state: PairingState;
	initiator: boolean;
	lastSyncAt: number | null;
	problem: LinkProblem | null;
	/** Connecting for far longer than a link takes: likely its code was used elsewhere. */
	stalled: boolean;
}

/** What pairing needs of the session: its signed sync carries what the links bring. */
type PairedSession = Pick<SpaceSession, 'doc' | 'spaceId' | 'secrets'> & {
	signed: LinkedSync;
};

export class PairingsModel {
	#session: PairedSession;
	#options: PairingsOptions;
	#memberId: MemberId;
	#links = new Map<number, PairedLink>();
	#nextId = 1;
	#notifier = createNotifier();
	#onSynced: (member: string, at: number) => void;

	/** `onSynced` hears each sync with a device whose member id its code gave. */
	constructor(
		session: PairedSession,
		memberId: MemberId,
		onSynced: (member: string, at: number) => void,
		options: PairingsOptions = {}
	) {
		this.#session = session;
		this.#options = options;
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
			problem: link.problem,
			stalled: link.stalled
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
		const link: PairedLink = new PairedLink({
			initiator,
			iceServers: loadSettings().iceServers,
			wrtc: this.#options.wrtc,
			signed: this.#session.signed,
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

	/** The code to show for `link`; an answer names the offer it answers. */
	async #codeFor(link: PairedLink, answering?: PairingSignal): Promise<string> {
		const answers = answering ? offerTag(answering.sdp) : undefined;
		return encodePairingCode(
			{ ...(await link.code()), member: this.#memberId, answers },
			this.#session.spaceId,
			this.#session.secrets.pairingKey,
			this.#now()
		);
	}

	#now(): number {
		return this.#options.now?.() ?? Date.now();
	}

	async #decode(code: string): Promise<{ ok: true; signal: PairingSignal } | PairingRefusal> {
		try {
			const { spaceId, secrets } = this.#session;
			return {
				ok: true,
				signal: await decodePairingCode(code, spaceId, secrets.pairingKey, this.#now())
			};
		} catch (failure) {
			if (!(failure instanceof PairingCodeError)) throw failure;
			const { problem, minutes } = failure;
			return problem === 'too-old' || problem === 'clock-ahead'
				? { ok: false, problem, minutes }
				: { ok: false, problem };
		}
	}

	/**
	 * Made here: it names this device's member id, or it is the offer of a
	 * link this device started (one made before the member id was in codes).
	 */
	#isOwnCode(signal: PairingSignal): boolean {
		if (signal.member === this.#memberId) return true;
		const tag = signal.type === 'offer' ? offerTag(signal.sdp) : '';
		return (
			tag !== '' &&
			[...this.#links.values()].some((link) => link.initiator && link.offerTag === tag)
		);
	}

	/** The link this device started whose offer an answer names, if any. */
	#offerAnswered(answer: PairingSignal): PairedLink | undefined {
		if (!answer.answers) return undefined;
		return [...this.#links.values()].find(
			(link) => link.initiator && link.offerTag === answer.answers
		);
	}

	/** Why an answer to one of this device's codes cannot be used now. */
	#answerProblem(answer: PairingSignal): PairingProblem {
		const offered = this.#offerAnswered(answer);
		if (offered && offered.state !== 'waiting-for-answer') return 'already-answered';
		return offered ? 'answers-another-code' : 'stale-answer';
	}

	/** Start pairing: a code for the other device to answer. */
	async start(): Promise<{ id: number; code: string }> {
		const [id, link] = this.#newLink(true);
		return { id, code: await this.#codeFor(link) };
	}

	/** Answer another device's code: the code to show back to it. */
	async answer(offerCode: string): Promise<PairingResult<{ id: number; code: string }>> {
		const decoded = await this.#decode(offerCode);
		if (!decoded.ok) return decoded;
		if (this.#isOwnCode(decoded.signal)) return { ok: false, problem: 'own-code' };
		if (decoded.signal.type !== 'offer') {
			// Linked already with this answer's offer: say so; any other answer belongs on
			// the device that made its offer, in the box under that code.
			const offered = this.#offerAnswered(decoded.signal);
			const linked = offered && offered.state !== 'waiting-for-answer';
			return { ok: false, problem: linked ? 'already-answered' : 'answer-not-offer' };
		}
		const [id, link] = this.#newLink(false);
		link.accept(decoded.signal);
		return { ok: true, id, code: await this.#codeFor(link, decoded.signal) };
	}

	/** Finish the pairing this device started, with the other device's answer. */
	async complete(id: number, answerCode: string): Promise<PairingResult<object>> {
		const link = this.#links.get(id);
		if (!link) return { ok: false, problem: 'gone' };
		const decoded = await this.#decode(answerCode);
		if (!decoded.ok) return decoded;
		const answer = decoded.signal;
		if (answer.type !== 'answer') return { ok: false, problem: 'expected-answer' };
		// Codes from before answers named their offer are taken on trust: an old
		// app version may be all a phone in the field has (it updates only when it
		// reaches the app's server), codes are sealed under the space key so only
		// a member can make one, and an answer to another offer cannot link: its
		// handshake is for a connection this device never made. The worst it does
		// is use up this code, and the link's stall message says to start over.
		if (answer.answers !== undefined && answer.answers !== link.offerTag)
			return { ok: false, problem: this.#answerProblem(answer) };
		// Each code links once: a second answer would break the link it made.
		if (link.state !== 'waiting-for-answer') return { ok: false, problem: 'already-answered' };
		link.accept(answer);
		return { ok: true };
	}
}
