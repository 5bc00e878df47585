// Pairing codes: a WebRTC offer or answer (gathered without trickle ICE),
// compressed and sealed under a key derived from the space key, as text
// short enough for a QR code:
//   BRPAIR1.<spaceId>.<base64url(nonce · XChaCha20-Poly1305(deflate(JSON)))>
// Only members of the space can read a code or answer it; the space id in
// the clear (bound as associated data) lets a device say which space a code
// is for. SDP lines that a LAN link can spare are stripped first. The time a
// code was made is sealed inside it, so an old code (a photo, a screenshot, a
// note left on a table) stops working; see MAX_CODE_AGE_MS.
import { deflateRaw, inflateRaw } from './compression';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromBase64Url, toBase64Url } from '../domain/ids';
import { CLOCK_SKEW_MS } from '../domain/time';

const PREFIX = 'BRPAIR1';

export interface PairingSignal {
	type: 'offer' | 'answer';
	sdp: string;
	/** The member id of the device that made the code, so each side can name the link. */
	member?: string;
	/**
	 * For an answer: the `offerTag` of the offer it answers, so the device that
	 * made the offer can tell an answer to another (or an older) code of its own.
	 * Codes from before it was added have none.
	 */
	answers?: string;
	/**
	 * When the code was made (ms since 1970, to the minute), by the clock of
	 * the device that made it. Codes from before it was added have none.
	 */
	madeAt?: number;
}

/**
 * How old a code may be. A pairing is two codes carried by hand: an offer
 * shown to the other device, its answer carried back. That takes minutes
 * across a shelter or a site; half an hour is a fair upper bound, and a code
 * older than that is more likely a forgotten photo than a pairing under way.
 */
export const MAX_CODE_AGE_MS = 30 * 60_000;
/**
 * How far apart two phones' clocks may be: the skew the app allows everywhere
 * (domain/time.ts). Pairing by codes is for places without a network, where a
 * phone's clock may be set by hand, in the wrong time zone, or reset by a flat
 * battery, and a pairing two honest people cannot complete is worse than an
 * old code, which names a connection that is gone anyway (only members can
 * read a code at all). So a code is refused only when it looks older than the
 * age limit plus this, or newer than now plus this (then we say the clocks
 * disagree).
 */
export const MAX_CLOCK_SKEW_MS = CLOCK_SKEW_MS;
/** Member ids are short; anything longer in a code is not one. */
const MAX_MEMBER_LENGTH = 64;
/** An offer's tag is its ICE user fragment: 4 to 256 characters by RFC 8839, short in practice. */
const MAX_TAG_LENGTH = 64;
/** A pairing code's JSON is a few KiB; more than this is not one of ours. */
const MAX_CODE_JSON_BYTES = 64 * 1024;

/**
 * Why a code was refused: not a pairing code at all, one for another space,
 * cut short, sealed under another key or changed (`not-from-member`), or
 * unreadable inside.
 */
export type PairingCodeProblem =
	| 'not-a-code'
	| 'other-space'
	| 'cut-short'
	| 'not-from-member'
	| 'damaged'
	| 'too-old'
	| 'clock-ahead';

export class PairingCodeError extends Error {
	readonly problem: PairingCodeProblem;
	/** For `too-old`: how long ago the code was made; for `clock-ahead`: how far ahead. */
	readonly minutes: number;
	constructor(problem: PairingCodeProblem, minutes = 0) {
		super(`Pairing code refused: ${problem}`);
		this.problem = problem;
		this.minutes = minutes;
	}
}

/**
 * What names one offer: its ICE user fragment, random for each connection.
 * An answer carries it back, so it is matched to the offer it answers.
 */
export function offerTag(sdp: string): string {
	return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1]?.slice(0, MAX_TAG_LENGTH) ?? '';
}

/**
 * Drop what a direct LAN data channel does not need: media-only attributes,
 * candidate extensions, and the max-message-size (its 64 KiB default is far
 * above our 16 KiB frames). Candidate foundations (ten random digits each)
 * become 1, 2, …: ICE only compares them for equality, and equal ones stay
 * equal. The digits saved pay for the time a code carries.
 */
export function compactSdp(sdp: string): string {
	const foundations = new Map<string, string>();
	return sdp
		.split(/\r?\n/)
		.filter(
			(line) =>
				line !== '' &&
				!/^a=(extmap|rtcp-fb|msid-semantic|ice-options:trickle|max-message-size)/.test(line)
		)
		.map((line) => {
			if (!line.startsWith('a=candidate:')) return line;
			return line
				.replace(/ generation \d+.*$/, '')
				.replace(/^a=candidate:(\S+)/, (_, foundation: string) => {
					if (!foundations.has(foundation))
						foundations.set(foundation, String(foundations.size + 1));
					return `a=candidate:${foundations.get(foundation)}`;
				});
		})
		.join('\r\n')
		.concat('\r\n');
}

/**
 * The offer as shown in a code: it asks the answering device to wait for
 * this one to start the encrypted handshake (DTLS `setup:active`), where
 * WebRTC's own offer lets the answering side start it.
 *
 * One code can be answered by several devices, and each starts connecting at
 * once. Chromium keeps the first handshake greeting that arrives before an
 * answer is applied and replays it after: when that greeting came from a
 * device whose answer is never applied, the link with the device whose
 * answer is applied never opens (reproduced with plain RTCPeerConnections,
 * deterministic). When this device starts the handshake, it greets only the
 * device it took the answer from. This device's own description stays as
 * WebRTC made it (an offer must say `actpass`); only the other side reads
 * `active`, and answers `passive`, as RFC 4145 allows.
 */
export function offerForCode(sdp: string): string {
	return sdp.replace(/^a=setup:actpass(?=\r?$)/gm, 'a=setup:active');
}

/** Refuse a code made too long ago, or later than this device's clock allows. */
function checkFresh(madeAt: number | undefined, now: number): void {
	// Taken on trust when it has no time: an older app version made it. In the
	// field an old copy may be all a phone has (it updates only when it reaches
	// the app's server), and an old code names a connection that is gone, so
	// it cannot link anything: refusing it would cost more than it protects.
	if (madeAt === undefined) return;
	const age = now - madeAt;
	const minutes = Math.round(Math.abs(age) / 60_000);
	if (age > MAX_CODE_AGE_MS + MAX_CLOCK_SKEW_MS) throw new PairingCodeError('too-old', minutes);
	if (age < -MAX_CLOCK_SKEW_MS) throw new PairingCodeError('clock-ahead', minutes);
}

/**
 * `now` is when the code is made (this device's clock); it is sealed inside,
 * in whole minutes, which the limits are counted in: seconds would cost two
 * more digits, and an offer with its member id would no longer fit the QR
 * size a phone reads well (pairing-code.test.ts measures it).
 */
export async function encodePairingCode(
	signal: PairingSignal,
	spaceId: string,
	key: Uint8Array,
	now = Date.now()
): Promise<string> {
	const json = new TextEncoder().encode(
		JSON.stringify({
			t: signal.type,
			s: compactSdp(signal.sdp),
			m: signal.member,
			r: signal.answers,
			a: Math.floor(now / 60_000)
		})
	);
	const compressed = await deflateRaw(json);
	const nonce = crypto.getRandomValues(new Uint8Array(24));
	const sealed = xchacha20poly1305(key, nonce, new TextEncoder().encode(spaceId)).encrypt(
		compressed
	);
	const body = new Uint8Array(nonce.length + sealed.length);
	body.set(nonce, 0);
	body.set(sealed, nonce.length);
	return `${PREFIX}.${spaceId}.${toBase64Url(body)}`;
}

/** `now` is this device's clock, to judge the code's age by. */
export async function decodePairingCode(
	code: string,
	spaceId: string,
	key: Uint8Array,
	now = Date.now()
): Promise<PairingSignal> {
	const [prefix, codeSpace, data, ...rest] = code.trim().split('.');
	if (prefix !== PREFIX || !codeSpace || !data || rest.length > 0)
		throw new PairingCodeError('not-a-code');
	if (codeSpace !== spaceId) throw new PairingCodeError('other-space');
	const body = fromBase64Url(data);
	if (!body || body.length < 24 + 16) throw new PairingCodeError('cut-short');
	let compressed: Uint8Array;
	try {
		compressed = xchacha20poly1305(
			key,
			body.subarray(0, 24),
			new TextEncoder().encode(spaceId)
		).decrypt(body.subarray(24));
	} catch {
		throw new PairingCodeError('not-from-member');
	}
	let signal: PairingSignal;
	try {
		const parsed = JSON.parse(
			new TextDecoder().decode(await inflateRaw(compressed, MAX_CODE_JSON_BYTES))
		);
		if ((parsed.t !== 'offer' && parsed.t !== 'answer') || typeof parsed.s !== 'string')
			throw new Error('shape');
		signal = { type: parsed.t, sdp: parsed.s };
		if (typeof parsed.m === 'string' && parsed.m.length <= MAX_MEMBER_LENGTH)
			signal.member = parsed.m;
		if (typeof parsed.r === 'string' && parsed.r.length <= MAX_TAG_LENGTH)
			signal.answers = parsed.r;
		if (parsed.a !== undefined) {
			// Whole minutes since 1970; anything else was not written by us.
			if (!Number.isSafeInteger(parsed.a) || parsed.a < 0 || parsed.a > 1e10)
				throw new Error('time');
			signal.madeAt = parsed.a * 60_000;
		}
	} catch {
		throw new PairingCodeError('damaged');
	}
	checkFresh(signal.madeAt, now);
	return signal;
}
