// Runs the bundle corpus (bundles.cases.ts) through the real import: each
// file must be refused with its BundleError problem, and the space it was
// imported into must be byte-for-byte what it was.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { deflateRawSync, constants } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../../src/lib/domain/ids';
import { createPost, initSpace } from '../../src/lib/doc/space-doc';
import { BundleError, MAX_UPDATE_BYTES, writeBundle } from '../../src/lib/sync/bundle';
import { deriveSpaceSecrets, generateSpaceKey } from '../../src/lib/sync/keys';
import { exportSpaceBundle, importSpaceBundle } from '../../src/lib/sync/space-bundle';
import { bundleCases, type BundleFixture } from './bundles.cases';

const secrets = deriveSpaceSecrets(generateSpaceKey());
let fixture: BundleFixture;

function spaceDoc(name: string, posts: number): Y.Doc {
	const doc = new Y.Doc();
	initSpace(doc, name, 1);
	for (let i = 0; i < posts; i++)
		createPost(
			doc,
			`post-corpus-${name}-${i}` as PostId,
			{
				kind: 'need',
				title: `${name} ${i}`,
				details: 'd'.repeat(100),
				category: 'water',
				quantity: null,
				unit: '',
				urgency: 'normal',
				locationText: '',
				contact: '',
				expiresAt: null
			},
			'member-corpus-01' as MemberId,
			i
		);
	return doc;
}

/**
 * A bundle of this space whose contents inflate to just past the app's cap,
 * made by hand as an attacker would: the same 1 MiB of zeros, deflated once
 * and its blocks repeated (each ends on a byte boundary, and refers back only
 * inside itself), then sealed under the space's key like any bundle.
 */
function deflateBomb(header: object): Uint8Array {
	const mebibyte = deflateRawSync(new Uint8Array(2 ** 20), { finishFlush: constants.Z_SYNC_FLUSH });
	const copies = MAX_UPDATE_BYTES / 2 ** 20 + 1;
	const compressed = new Uint8Array(mebibyte.length * copies + 2);
	for (let copy = 0; copy < copies; copy++) compressed.set(mebibyte, copy * mebibyte.length);
	// The last block: empty, final, fixed codes.
	compressed.set([0x03, 0x00], mebibyte.length * copies);
	const headerBytes = new TextEncoder().encode(
		JSON.stringify({ format: 'barnraise-bundle', version: 1, ...header })
	);
	const prefix = new Uint8Array(10 + headerBytes.length);
	prefix.set(new TextEncoder().encode('BRBUNDLE'), 0);
	new DataView(prefix.buffer).setUint16(8, headerBytes.length);
	prefix.set(headerBytes, 10);
	const nonce = new Uint8Array(24).fill(1);
	const sealed = xchacha20poly1305(secrets.bundleKey, nonce, prefix).encrypt(compressed);
	return new Uint8Array([...prefix, ...nonce, ...sealed]);
}

beforeAll(async () => {
	const source = spaceDoc('Source', 5);
	const { file, header } = await exportSpaceBundle(source, secrets);
	const bodyOffset = 10 + new DataView(file.buffer).getUint16(8);
	const fullHeader = JSON.parse(new TextDecoder().decode(file.subarray(10, bodyOffset)));
	const otherSecrets = deriveSpaceSecrets(generateSpaceKey());
	const seal = (update: Uint8Array, patch: Record<string, unknown> = {}) =>
		writeBundle(update, { ...header, ...patch }, secrets.bundleKey);
	fixture = {
		file,
		bodyOffset,
		header: fullHeader,
		seal,
		update: Y.encodeStateAsUpdate(source),
		otherSpace: (await exportSpaceBundle(source, otherSecrets)).file,
		// This space's id on a file sealed under another space's key.
		otherKey: await writeBundle(Y.encodeStateAsUpdate(source), header, otherSecrets.bundleKey),
		bomb: () => deflateBomb(header)
	};
});

describe('bad bundles', () => {
	it.each(bundleCases)('%s', { timeout: 30_000 }, async (_label, make, problem) => {
		const file = await make(fixture);
		const target = spaceDoc('Target', 2);
		const before = Y.encodeStateAsUpdate(target);
		const failure = await importSpaceBundle(target, secrets, file).then(
			() => null,
			(error: unknown) => error
		);
		expect(failure).toBeInstanceOf(BundleError);
		expect((failure as BundleError).problem).toBe(problem);
		expect(Y.encodeStateAsUpdate(target)).toEqual(before);
	});

	it('the unbroken file imports (so the cases above test what they say)', async () => {
		const target = spaceDoc('Target', 2);
		await expect(importSpaceBundle(target, secrets, fixture.file)).resolves.toMatchObject({
			changed: true
		});
	});
});
