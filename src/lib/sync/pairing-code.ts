// Pairing codes: a WebRTC offer or answer (gathered without trickle ICE),
// compressed and sealed under a key derived from the space key, as text
// short enough for a QR code:
//   BRPAIR1.<spaceId>.<base64url(nonce · XChaCha20-Poly1305(deflate(JSON)))>
// Only members of the space can read a code or answer it; the space id in
// the clear (bound as associated data) lets a device say which space a code
// is for. SDP lines that a LAN link can spare are stripped first.
import { deflateRaw, inflateRaw } from './compression';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromBase64Url, toBase64Url } from '../domain/ids';

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
}

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
	'not-a-code' | 'other-space' | 'cut-short' | 'not-from-member' | 'damaged';

export class PairingCodeError extends Error {
	readonly problem: PairingCodeProblem;
	constructor(problem: PairingCodeProblem) {
		super(`Pairing code refused: ${problem}`);
		this.problem = problem;
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
 * above our 16 KiB frames).
 */
export function compactSdp(sdp: string): string {
	return sdp
		.split(/\r?\n/)
		.filter(
			(line) =>
				line !== '' &&
				!/^a=(extmap|rtcp-fb|msid-semantic|ice-options:trickle|max-message-size)/.test(line)
		)
		.map((line) =>
			line.startsWith('a=candidate:') ? line.replace(/ generation \d+.*$/, '') : line
		)
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

export async function encodePairingCode(
	signal: PairingSignal,
	spaceId: string,
	key: Uint8Array
): Promise<string> {
	const json = new TextEncoder().encode(
		JSON.stringify({
			t: signal.type,
			s: compactSdp(signal.sdp),
			m: signal.member,
			r: signal.answers
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

export async function decodePairingCode(
	code: string,
	spaceId: string,
	key: Uint8Array
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
	try {
		const parsed = JSON.parse(
			new TextDecoder().decode(await inflateRaw(compressed, MAX_CODE_JSON_BYTES))
		);
		if ((parsed.t !== 'offer' && parsed.t !== 'answer') || typeof parsed.s !== 'string')
			throw new Error('shape');
		const signal: PairingSignal = { type: parsed.t, sdp: parsed.s };
		if (typeof parsed.m === 'string' && parsed.m.length <= MAX_MEMBER_LENGTH)
			signal.member = parsed.m;
		if (typeof parsed.r === 'string' && parsed.r.length <= MAX_TAG_LENGTH)
			signal.answers = parsed.r;
		return signal;
	} catch {
		throw new PairingCodeError('damaged');
	}
}
