// Bundles of a sync v2 space (#14, slice 5): signed ranges inside today's
// encrypted file, a delta from another device's log vector, and importing
// that verifies and judges like any link — an altered range is refused and
// counted while the rest is taken, and a Yjs bundle cannot slip unsigned
// changes past the judge.
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { BundleError, writeBundle } from '../bundle';
import { deriveSpaceSecrets, generateSpaceKey } from '../keys';
import { oldAppBundle } from '../old-bundle.test-helper';
import {
	exportSignedBundle,
	importSpaceBundle,
	logStateCode,
	parseStateCode
} from '../space-bundle';
import { encodeMessage } from './messages';
import { initSpace } from '../../doc/space-doc';
import {
	TestNetwork,
	bundleTarget as target,
	postTitles,
	seeded,
	writePost,
	type TestDevice
} from './network.test-helper';

const secrets = deriveSpaceSecrets(generateSpaceKey());

function postsOf(device: TestDevice, titles: string[]): void {
	for (const title of titles) writePost(device.doc, `post-${title.toLowerCase()}`, title);
}

describe('bundles of signed logs', () => {
	it('carry a whole space to a device that never linked, and a delta of what its log vector lacks', async () => {
		const network = new TestNetwork(seeded(1));
		const ana = network.device('ana');
		const ben = network.device('ben');
		postsOf(ana, ['Tarps', 'Water']);

		const full = await exportSignedBundle(target(ana), ana.doc, secrets);
		expect(full.header).toMatchObject({ contains: 'full', carries: 'signed-logs' });
		const imported = await importSpaceBundle(secrets, full.file, target(ben));
		expect(imported).toMatchObject({ changed: true, refused: 0 });
		expect(postTitles(ben)).toEqual(['Tarps', 'Water']);

		postsOf(ana, ['Generator']);
		const code = logStateCode(ben.engine.vector());
		const parsed = parseStateCode(code);
		if (!parsed.ok || !('lengths' in parsed)) throw new Error('not a log vector');
		const delta = await exportSignedBundle(target(ana), ana.doc, secrets, parsed.lengths);
		expect(delta.header.contains).toBe('delta');
		// Only the entry Ben lacks: far smaller than the whole.
		expect(delta.file.length).toBeLessThan(full.file.length);
		expect(await importSpaceBundle(secrets, delta.file, target(ben))).toMatchObject({
			changed: true,
			refused: 0
		});
		expect(postTitles(ben)).toEqual(['Generator', 'Tarps', 'Water']);
		// The same file again brings nothing.
		expect(await importSpaceBundle(secrets, delta.file, target(ben))).toMatchObject({
			changed: false
		});
	});

	it('refuse an altered range by count, and take everything else in the file', async () => {
		const network = new TestNetwork(seeded(2));
		const ana = network.device('ana');
		const cy = network.device('cy');
		const ben = network.device('ben');
		postsOf(ana, ['Tarps']);
		postsOf(cy, ['Blankets']);
		// A member with the key makes a bundle of both logs, and alters Cy's entry on the way.
		const ranges = [...ana.engine.rangesAfter(new Map()), ...cy.engine.rangesAfter(new Map())];
		const cyRange = ranges[1]!;
		const altered = cyRange.entries[0]!.slice();
		altered[altered.length - 1]! ^= 0x01;
		cyRange.entries = [altered];
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, ranges.length);
		for (const range of ranges)
			encoding.writeVarUint8Array(encoder, encodeMessage({ type: 'entries', ...range }));
		const file = await writeBundle(
			encoding.toUint8Array(encoder),
			{
				spaceId: secrets.spaceId,
				spaceName: '',
				contains: 'full',
				carries: 'signed-logs',
				since: null,
				createdAt: 0
			},
			secrets.bundleKey
		);

		const result = await importSpaceBundle(secrets, file, target(ben));
		expect(result).toMatchObject({ changed: true, refused: 1 });
		// Ana's range is taken; Cy's altered one never reaches the doc.
		expect(postTitles(ben)).toEqual(['Tarps']);
		expect(ben.engine.lengthOf(cy.key.author)).toBe(0);
		// Nothing lost: Cy's honest entry still comes, from Cy's own bundle.
		const honest = await exportSignedBundle(target(cy), cy.doc, secrets);
		await importSpaceBundle(secrets, honest.file, target(ben));
		expect(postTitles(ben)).toEqual(['Blankets', 'Tarps']);
	});

	it('judge what they carry like any link: a ledger overwrite is refused and said', async () => {
		const network = new TestNetwork(seeded(3));
		const ana = network.device('ana');
		const ben = network.device('ben');
		postsOf(ana, ['Tarps']);
		ana.doc.getMap('entries').set('forged-entry-1', { kind: 'received', quantity: 999 });
		const bundle = await exportSignedBundle(target(ana), ana.doc, secrets);
		await importSpaceBundle(secrets, bundle.file, target(ben));
		expect(postTitles(ben)).toEqual(['Tarps']);
		expect(ben.doc.getMap('entries').has('forged-entry-1')).toBe(false);
		expect(ben.refusals()).toEqual([expect.objectContaining({ reason: 'fact-changed' })]);
	});

	it('refuse a bundle an older app made: a Yjs update would put unsigned changes past the judge', async () => {
		const network = new TestNetwork(seeded(4));
		const ana = network.device('ana');
		const ben = network.device('ben');
		postsOf(ana, ['Tarps']);
		const yjsBundle = await oldAppBundle(ana.doc, secrets);
		const refused = importSpaceBundle(secrets, yjsBundle.file, target(ben));
		await expect(refused).rejects.toBeInstanceOf(BundleError);
		await expect(refused).rejects.toMatchObject({ problem: 'other-sync' });
		expect(postTitles(ben)).toEqual([]);
		expect(ben.engine.vector()).toEqual([]);
		// And an older app's state code: whole, but of the other sync.
		expect(parseStateCode('BRSV1.AA')).toEqual({ ok: false, problem: 'state-code-other-sync' });
	});

	it('name the space in the clear only when asked to', async () => {
		const network = new TestNetwork(seeded(6));
		const ana = network.device('ana');
		initSpace(ana.doc, 'Riverside', 1);
		const hidden = await exportSignedBundle(target(ana), ana.doc, secrets);
		expect(hidden.header.spaceName).toBe('');
		expect(new TextDecoder().decode(hidden.file)).not.toContain('Riverside');
		const shown = await exportSignedBundle(target(ana), ana.doc, secrets, null, {
			showName: true
		});
		expect(shown.header.spaceName).toBe('Riverside');
		expect(new TextDecoder().decode(shown.file)).toContain('Riverside');
	});

	it('refuse contents that are not a list of ranges as damaged, and keep nothing of them', async () => {
		const network = new TestNetwork(seeded(5));
		const ben = network.device('ben');
		const header = {
			spaceId: secrets.spaceId,
			spaceName: '',
			contains: 'full' as const,
			carries: 'signed-logs' as const,
			since: null,
			createdAt: 0
		};
		for (const body of [
			new Uint8Array([5, 1, 2]),
			new Uint8Array([1, 3, 1, 2, 3]),
			new Uint8Array([0, 9])
		]) {
			const file = await writeBundle(body, header, secrets.bundleKey);
			await expect(importSpaceBundle(secrets, file, target(ben))).rejects.toMatchObject({
				problem: 'damaged'
			});
		}
		expect(ben.engine.vector()).toEqual([]);
		expect(parseStateCode('BRLV1.AQ')).toEqual({ ok: false, problem: 'state-code-damaged' });
	});
});
