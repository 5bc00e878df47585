import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { drawQr, readQr } from '../../../tests/support/qr';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../domain/ids';
import { deflateRaw } from './compression';
import { deriveSpaceSecrets, generateSpaceKey } from './keys';
import {
	compactSdp,
	decodePairingCode,
	encodePairingCode,
	MAX_CLOCK_SKEW_MS,
	MAX_CODE_AGE_MS,
	offerForCode,
	offerTag,
	PairingCodeError,
	type PairingCodeProblem
} from './pairing-code';

/** A code as app versions before codes carried their time made it. */
async function oldCode(json: object, spaceId: string, key: Uint8Array): Promise<string> {
	const compressed = await deflateRaw(new TextEncoder().encode(JSON.stringify(json)));
	const nonce = crypto.getRandomValues(new Uint8Array(24));
	const sealed = xchacha20poly1305(key, nonce, new TextEncoder().encode(spaceId)).encrypt(
		compressed
	);
	return `BRPAIR1.${spaceId}.${toBase64Url(new Uint8Array([...nonce, ...sealed]))}`;
}

async function refusal(code: Promise<unknown>): Promise<PairingCodeError> {
	const failure = await code.then(
		() => null,
		(error: unknown) => error
	);
	expect(failure).toBeInstanceOf(PairingCodeError);
	return failure as PairingCodeError;
}

// An offer as headless Chromium 156 makes it for a data channel with no STUN.
const OFFER = [
	'v=0',
	'o=- 1371690824404640907 2 IN IP4 127.0.0.1',
	's=-',
	't=0 0',
	'a=group:BUNDLE 0',
	'a=extmap-allow-mixed',
	'a=msid-semantic: WMS',
	'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
	'c=IN IP4 0.0.0.0',
	'a=candidate:3006014725 1 udp 2113937151 993ef89e-6fd0-4acd-86ec-1e70b0923b68.local 36329 typ host generation 0 network-cost 999',
	'a=candidate:3026078133 1 udp 2113942271 8299e19e-60dd-4228-9d81-29522dcff5f9.local 35818 typ host generation 0 network-cost 999',
	'a=ice-ufrag:Td+T',
	'a=ice-pwd:uLPv8Pn315OuMx2s7w92xGld',
	'a=ice-options:trickle',
	'a=fingerprint:sha-256 B1:F1:FF:AB:1D:A0:DD:3A:97:EC:18:EB:E8:6D:2E:AF:58:A3:AE:E9:11:65:84:86:66:87:A5:54:46:3F:62:9C',
	'a=setup:actpass',
	'a=mid:0',
	'a=sctp-port:5000',
	'a=max-message-size:262144',
	''
].join('\r\n');

describe('pairing codes', () => {
	const secrets = deriveSpaceSecrets(generateSpaceKey());

	it('ask the answering device to wait for the offering one to start the handshake', () => {
		const shown = offerForCode(OFFER);
		expect(shown).toContain('\r\na=setup:active\r\n');
		expect(shown).not.toContain('actpass');
		// Nothing else changes: the offer is still named by its ICE user fragment.
		expect(shown.replace('a=setup:active', 'a=setup:actpass')).toBe(OFFER);
		expect(offerTag(shown)).toBe(offerTag(OFFER));
	});

	it('number candidate foundations 1, 2, … keeping equal ones equal', () => {
		const twice = OFFER.replace('a=candidate:3026078133', 'a=candidate:3006014725');
		const foundations = (sdp: string) =>
			[...compactSdp(sdp).matchAll(/^a=candidate:(\S+) /gm)].map((match) => match[1]);
		expect(foundations(OFFER)).toEqual(['1', '2']);
		expect(foundations(twice)).toEqual(['1', '1']);
		expect(compactSdp(OFFER)).toContain(
			'a=candidate:1 1 udp 2113937151 993ef89e-6fd0-4acd-86ec-1e70b0923b68.local 36329 typ host\r\n'
		);
	});

	it('round-trip an offer, smaller than the SDP, and fit a QR code a phone reads', async () => {
		const code = await encodePairingCode(
			{ type: 'offer', sdp: OFFER },
			secrets.spaceId,
			secrets.pairingKey
		);
		expect(code.length).toBeLessThan(OFFER.length);
		const decoded = await decodePairingCode(code, secrets.spaceId, secrets.pairingKey);
		expect(decoded).toEqual({
			type: 'offer',
			sdp: compactSdp(OFFER),
			madeAt: expect.any(Number)
		});
		expect(decoded.sdp).toContain('a=fingerprint:sha-256');
		expect(decoded.sdp).toContain('typ host');
		const qr = drawQr(code, { ecc: 'L' });
		// Measured: this stays at or below version 17 (85×85 modules).
		expect(qr.version).toBeLessThanOrEqual(17);
		expect(await readQr(qr)).toBe(code);
	});

	it('carry the member id of the device that made the code, so both sides can name the link', async () => {
		const code = await encodePairingCode(
			{ type: 'answer', sdp: OFFER, member: 'm-7f3a9c' },
			secrets.spaceId,
			secrets.pairingKey
		);
		const decoded = await decodePairingCode(code, secrets.spaceId, secrets.pairingKey);
		expect(decoded.member).toBe('m-7f3a9c');
		expect(drawQr(code, { ecc: 'L' }).version).toBeLessThanOrEqual(17);
	});

	it('carry in an answer which offer it answers, named by the offer’s ICE user fragment', async () => {
		expect(offerTag(OFFER)).toBe('Td+T');
		expect(offerTag('v=0')).toBe('');
		const code = await encodePairingCode(
			{ type: 'answer', sdp: OFFER, answers: offerTag(OFFER) },
			secrets.spaceId,
			secrets.pairingKey
		);
		const decoded = await decodePairingCode(code, secrets.spaceId, secrets.pairingKey);
		expect(decoded.answers).toBe('Td+T');
	});

	it('refuse codes that are not ours, for another space, changed, or cut', async () => {
		const code = await encodePairingCode(
			{ type: 'answer', sdp: OFFER },
			secrets.spaceId,
			secrets.pairingKey
		);
		const other = deriveSpaceSecrets(generateSpaceKey());
		const cases: [string, string, string, Uint8Array, PairingCodeProblem][] = [
			['junk', 'hello there', secrets.spaceId, secrets.pairingKey, 'not-a-code'],
			['another space', code, other.spaceId, other.pairingKey, 'other-space'],
			[
				'a changed code',
				code.slice(0, -3) + (code.endsWith('A') ? 'BBB' : 'AAA'),
				secrets.spaceId,
				secrets.pairingKey,
				'not-from-member'
			],
			[
				'a cut code',
				code.slice(0, code.lastIndexOf('.') + 10),
				secrets.spaceId,
				secrets.pairingKey,
				'cut-short'
			],
			[
				'the right space id under another key',
				code,
				secrets.spaceId,
				other.pairingKey,
				'not-from-member'
			]
		];
		for (const [label, text, spaceId, key, problem] of cases) {
			const error = await decodePairingCode(text, spaceId, key).then(
				() => null,
				(failure: unknown) => failure
			);
			expect(error, label).toBeInstanceOf(PairingCodeError);
			expect((error as PairingCodeError).problem, label).toBe(problem);
		}
	});

	const MINUTE = 60_000;

	it('carry the time they were made, and are refused once older than the limit', async () => {
		const madeAt = Date.UTC(2026, 11, 1, 12, 0, 0);
		const code = await encodePairingCode(
			{ type: 'offer', sdp: OFFER },
			secrets.spaceId,
			secrets.pairingKey,
			madeAt
		);
		const decodeAt = (now: number) =>
			decodePairingCode(code, secrets.spaceId, secrets.pairingKey, now);
		expect((await decodeAt(madeAt + 5 * MINUTE)).madeAt).toBe(madeAt);
		// The other phone's clock may be behind this one's: the limit allows for it.
		await expect(decodeAt(madeAt + MAX_CODE_AGE_MS + MAX_CLOCK_SKEW_MS)).resolves.toBeTruthy();
		// A phone in the wrong time zone, hours behind, still pairs.
		await expect(decodeAt(madeAt + 5 * 60 * MINUTE)).resolves.toBeTruthy();
		// Codes count in whole minutes: one made at 12:00:40 says 12:00.
		const limit = (MAX_CODE_AGE_MS + MAX_CLOCK_SKEW_MS) / MINUTE;
		const old = await refusal(decodeAt(madeAt + (limit + 15) * MINUTE + 20_000));
		expect(old.problem).toBe('too-old');
		expect(old.minutes).toBe(limit + 15);
		const twoDays = await refusal(decodeAt(madeAt + 48 * 60 * MINUTE));
		expect([twoDays.problem, twoDays.minutes]).toEqual(['too-old', 2880]);
	});

	it('allow for a clock a little ahead, and say so when the clocks disagree by more', async () => {
		const now = Date.UTC(2026, 11, 1, 12, 0, 0);
		const madeAhead = (ms: number) =>
			encodePairingCode(
				{ type: 'answer', sdp: OFFER },
				secrets.spaceId,
				secrets.pairingKey,
				now + ms
			);
		const slightly = await madeAhead(MAX_CLOCK_SKEW_MS);
		await expect(
			decodePairingCode(slightly, secrets.spaceId, secrets.pairingKey, now)
		).resolves.toBeTruthy();
		const far = await madeAhead(48 * 60 * MINUTE);
		const ahead = await refusal(decodePairingCode(far, secrets.spaceId, secrets.pairingKey, now));
		expect([ahead.problem, ahead.minutes]).toEqual(['clock-ahead', 2880]);
	});

	it('still take a code from an app version that did not say its time, or a bad time as damage', async () => {
		const sdp = compactSdp(OFFER);
		const legacy = await oldCode({ t: 'offer', s: sdp }, secrets.spaceId, secrets.pairingKey);
		await expect(decodePairingCode(legacy, secrets.spaceId, secrets.pairingKey)).resolves.toEqual({
			type: 'offer',
			sdp
		});
		for (const a of ['soon', -5, 1e300, 1.5])
			expect(
				(
					await refusal(
						decodePairingCode(
							await oldCode({ t: 'offer', s: sdp, a }, secrets.spaceId, secrets.pairingKey),
							secrets.spaceId,
							secrets.pairingKey
						)
					)
				).problem,
				String(a)
			).toBe('damaged');
	});
});
