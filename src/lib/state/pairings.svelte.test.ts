import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import type { WrtcImplementation } from '../sync/chunked-wrtc';
import { deriveSpaceSecrets, generateSpaceKey } from '../sync/keys';
import { PairingsModel } from './pairings.svelte';
import { pairingProblemText } from './problem-text';

const MINUTE = 60_000;
/** Codes carry whole minutes: a clock that starts on one keeps the ages exact. */
const NOON = Date.UTC(2026, 11, 1, 12, 0, 0);
const secrets = deriveSpaceSecrets(generateSpaceKey());
const docs: Y.Doc[] = [];
const NO_ENGINE = { addLink() {}, removeLink() {}, receive() {} };

/** A device's pairings in the shared test space; its clock reads noon plus `clock.offset`. */
function device(member: string, clock = { offset: 0 }) {
	const doc = new Y.Doc();
	docs.push(doc);
	const pairings = new PairingsModel(
		// Codes only: no link here gets as far as carrying the engine's messages.
		{ doc, spaceId: secrets.spaceId, secrets, signed: NO_ENGINE },
		member as MemberId,
		() => {},
		{ wrtc: wrtc as unknown as WrtcImplementation, now: () => NOON + clock.offset }
	);
	return { pairings, clock };
}

afterEach(() => {
	// Destroying the doc closes every link the model made.
	for (const doc of docs.splice(0)) doc.destroy();
});

describe('pairing codes on a device', () => {
	it('refuse this device’s own offer pasted back to be answered, instead of linking to itself', async () => {
		const { pairings } = device('member-ana-0001');
		const { code } = await pairings.start();
		const result = await pairings.answer(code);
		expect(result).toEqual({ ok: false, problem: 'own-code' });
		expect(pairings.views).toHaveLength(1);
		expect(pairingProblemText({ problem: 'own-code' })).toMatch(/this device’s own code/);
	});

	it('say an answer belongs in the other box, on the device that made the offer', async () => {
		const ana = device('member-ana-0001');
		const ben = device('member-ben-0001');
		const cleo = device('member-cleo-001');
		const { code: offer } = await ana.pairings.start();
		const answered = await ben.pairings.answer(offer);
		if (!answered.ok) throw new Error(answered.problem);
		// Ben pastes his own answer back; Cleo pastes it; Ana pastes it in the wrong box.
		expect(await ben.pairings.answer(answered.code)).toEqual({ ok: false, problem: 'own-code' });
		expect(await cleo.pairings.answer(answered.code)).toEqual({
			ok: false,
			problem: 'answer-not-offer'
		});
		expect(await ana.pairings.answer(answered.code)).toEqual({
			ok: false,
			problem: 'answer-not-offer'
		});
		expect(cleo.pairings.views).toEqual([]);
		expect(pairingProblemText({ problem: 'answer-not-offer' })).toMatch(
			/device that started pairing.*“The other device’s answer”/
		);
		// In the right box it is taken.
		const ids = ana.pairings.views.map((view) => view.id);
		expect(await ana.pairings.complete(ids[0]!, answered.code)).toEqual({ ok: true });
	});

	it('refuse an offer or an answer older than half an hour and the clock skew, saying how old', async () => {
		const ana = device('member-ana-0001');
		const ben = device('member-ben-0001');
		const { id, code: offer } = await ana.pairings.start();
		const DAY = 24 * 60 * MINUTE;
		ben.clock.offset = DAY + 45 * MINUTE;
		const late = await ben.pairings.answer(offer);
		expect(late).toEqual({ ok: false, problem: 'too-old', minutes: 24 * 60 + 45 });
		expect(ben.pairings.views).toEqual([]);
		if (late.ok) return;
		expect(pairingProblemText(late)).toBe(
			'This code was made 25 hours ago; ask for a new one. A pairing code is meant to be used within 30 minutes.'
		);

		// Hours apart (a clock in the wrong time zone) it is answered; the answer then sits
		// too long before Ana takes it.
		ben.clock.offset = 5 * 60 * MINUTE;
		const answered = await ben.pairings.answer(offer);
		if (!answered.ok) throw new Error(answered.problem);
		ana.clock.offset = 5 * 60 * MINUTE + DAY + 41 * MINUTE;
		expect(await ana.pairings.complete(id, answered.code)).toEqual({
			ok: false,
			problem: 'too-old',
			minutes: 24 * 60 + 41
		});
		// Nothing was used up: with the clocks back, the same answer still completes the link.
		ana.clock.offset = 5 * 60 * MINUTE;
		expect(await ana.pairings.complete(id, answered.code)).toEqual({ ok: true });
	});

	it('say so when the other device’s clock is far ahead', async () => {
		// Two hours apart pairs (a time zone set wrong); two days apart is said plainly.
		const early = device('member-eve-0001', { offset: 2 * 60 * MINUTE });
		const ben = device('member-ben-0001');
		const near = await ben.pairings.answer((await early.pairings.start()).code);
		expect(near.ok).toBe(true);
		const ana = device('member-ana-0001', { offset: 48 * 60 * MINUTE });
		const { code } = await ana.pairings.start();
		const result = await ben.pairings.answer(code);
		expect(result).toEqual({ ok: false, problem: 'clock-ahead', minutes: 2880 });
		if (!result.ok) expect(pairingProblemText(result)).toMatch(/48 hours from now.*clocks/);
	});
});
