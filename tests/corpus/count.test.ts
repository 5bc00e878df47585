// The bad-input corpus as a whole: how many cases each family holds, and
// that together they stay at 200 or more (issue #13). A case is one input
// through one parser; the XSS payloads count once per place they go.
import { describe, expect, it } from 'vitest';
import { bundleCases } from './bundles.cases';
import { channelDataCases, chunkCases } from './chunks.cases';
import { docContentCases } from './doc-content.cases';
import { importCases } from './imports.cases';
import { inviteCases } from './invites.cases';
import { meshMessageCases } from './mesh-messages.cases';
import { pairingCases } from './pairing-codes.cases';
import {
	signalingEnvelopeCases,
	signalingServerCases,
	signalingValueCases
} from './signaling.cases';
import { notNumberCases, notServerCases, pointCases, stateCodeCases } from './typed.cases';
import { xssPayloads, xssSinks } from './xss.cases';

/** Beside the sinks, each payload also goes into a QR code and a CSV export. */
const XSS_PLACES = xssSinks.length + 2;

const families: Record<string, number> = {
	invites: inviteCases.length,
	bundles: bundleCases.length,
	'pairing codes': pairingCases.length,
	'chunk frames': chunkCases.length + channelDataCases.length,
	'mesh messages': meshMessageCases.length,
	signaling:
		signalingValueCases.length + signalingEnvelopeCases.length + signalingServerCases.length,
	'doc content': docContentCases.length,
	'typed values':
		notNumberCases.length + pointCases.length + stateCodeCases.length + notServerCases.length,
	'inventory files': importCases.length,
	'hostile text': xssPayloads.length * XSS_PLACES
};

describe('the bad-input corpus', () => {
	it('holds at least 200 cases', () => {
		const total = Object.values(families).reduce((sum, count) => sum + count, 0);
		console.log(
			`bad-input corpus: ${total} cases (${Object.entries(families)
				.map(([family, count]) => `${family} ${count}`)
				.join(', ')})`
		);
		expect(total).toBeGreaterThanOrEqual(200);
	});
});
