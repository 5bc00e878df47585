// Runs the pairing-code corpus (pairing-codes.cases.ts) through decodePairingCode.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src/lib/domain/ids';
import { deflateRaw } from '../../src/lib/sync/compression';
import { deriveSpaceSecrets, generateSpaceKey } from '../../src/lib/sync/keys';
import {
	decodePairingCode,
	encodePairingCode,
	PairingCodeError
} from '../../src/lib/sync/pairing-code';
import { pairingCases, type PairingFixture } from './pairing-codes.cases';

const space = deriveSpaceSecrets(generateSpaceKey());
const other = deriveSpaceSecrets(generateSpaceKey());
const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=ice-ufrag:Td+T\r\na=setup:active\r\n';
let fixture: PairingFixture;

/** Seal bytes as encodePairingCode does, so a code's inside can be anything. */
function sealRaw(raw: Uint8Array): string {
	const nonce = crypto.getRandomValues(new Uint8Array(24));
	const sealed = xchacha20poly1305(
		space.pairingKey,
		nonce,
		new TextEncoder().encode(space.spaceId)
	).encrypt(raw);
	return `BRPAIR1.${space.spaceId}.${toBase64Url(new Uint8Array([...nonce, ...sealed]))}`;
}

beforeAll(async () => {
	const offer = { type: 'offer' as const, sdp: OFFER, member: 'member-corpus-01' };
	fixture = {
		spaceId: space.spaceId,
		good: await encodePairingCode(offer, space.spaceId, space.pairingKey),
		sealRaw,
		sealJson: async (json) => sealRaw(await deflateRaw(new TextEncoder().encode(json))),
		otherKey: await encodePairingCode(offer, space.spaceId, other.pairingKey),
		otherSpace: await encodePairingCode(offer, other.spaceId, other.pairingKey)
	};
});

describe('bad pairing codes', () => {
	it.each(pairingCases)('%s', async (_label, make, expected) => {
		const code = await make(fixture);
		const outcome = await decodePairingCode(code, space.spaceId, space.pairingKey).then(
			(signal) => ({ signal }),
			(error: unknown) => ({ error })
		);
		if (typeof expected === 'string') {
			expect('error' in outcome && outcome.error).toBeInstanceOf(PairingCodeError);
			expect((outcome as { error: PairingCodeError }).error.problem).toBe(expected);
		} else {
			expect(outcome).toEqual({ signal: expected.opens });
		}
	});

	it('the unbroken code opens (so the cases above test what they say)', async () => {
		await expect(
			decodePairingCode(fixture.good, space.spaceId, space.pairingKey)
		).resolves.toMatchObject({
			type: 'offer',
			member: 'member-corpus-01'
		});
	});
});
