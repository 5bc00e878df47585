// Runs the bundle corpus (bundles.cases.ts) through the real import: each
// file must be refused with its BundleError problem, and the space it was
// imported into must hold what it held.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { deflateRawSync, constants } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleError, MAX_UPDATE_BYTES, openBundle, writeBundle } from '../../src/lib/sync/bundle';
import { deriveSpaceSecrets, generateSpaceKey, type SpaceSecrets } from '../../src/lib/sync/keys';
import { oldAppBundle } from '../../src/lib/sync/old-bundle.test-helper';
import { exportSignedBundle, importSpaceBundle } from '../../src/lib/sync/space-bundle';
import {
	TestNetwork,
	bundleTarget,
	postTitles,
	seeded,
	writePost,
	type TestDevice
} from '../../src/lib/sync/v2/network.test-helper';
import { bundleCases, type BundleFixture } from './bundles.cases';

const secrets = deriveSpaceSecrets(generateSpaceKey());
let fixture: BundleFixture;
let targets = 0;

const network = new TestNetwork(seeded(2002));

/** A device of the space with `posts` posts of its own, each signed. */
function device(name: string, posts: number): TestDevice {
	const made = network.device(name);
	for (let i = 0; i < posts; i++)
		writePost(made.doc, `post-corpus-${name}-${i}`, `${name} ${i}`, 'd'.repeat(100));
	return made;
}

async function bundleOf(source: TestDevice, of: SpaceSecrets): Promise<Uint8Array> {
	return (await exportSignedBundle(bundleTarget(source), source.doc, of)).file;
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
	const source = device('source', 5);
	const file = await bundleOf(source, secrets);
	const bodyOffset = 10 + new DataView(file.buffer).getUint16(8);
	const fullHeader = JSON.parse(new TextDecoder().decode(file.subarray(10, bodyOffset)));
	const { header, update } = await openBundle(file, secrets.spaceId, secrets.bundleKey);
	const otherSecrets = deriveSpaceSecrets(generateSpaceKey());
	const seal = (contents: Uint8Array, patch: Record<string, unknown> = {}) =>
		writeBundle(contents, { ...header, ...patch }, secrets.bundleKey);
	fixture = {
		file,
		bodyOffset,
		header: fullHeader,
		seal,
		update,
		otherSpace: await bundleOf(source, otherSecrets),
		// This space's id on a file sealed under another space's key.
		otherKey: await writeBundle(update, header, otherSecrets.bundleKey),
		bomb: () => deflateBomb(header),
		oldApp: (await oldAppBundle(source.doc, secrets)).file
	};
});

describe('bad bundles', () => {
	it.each(bundleCases)('%s', { timeout: 30_000 }, async (_label, make, problem) => {
		const file = await make(fixture);
		const target = device(`target-${++targets}`, 2);
		const before = postTitles(target);
		const failure = await importSpaceBundle(secrets, file, bundleTarget(target)).then(
			() => null,
			(error: unknown) => error
		);
		expect(failure).toBeInstanceOf(BundleError);
		expect((failure as BundleError).problem).toBe(problem);
		expect(postTitles(target)).toEqual(before);
		expect(target.engine.vector()).toHaveLength(1);
	});

	it('the unbroken file imports (so the cases above test what they say)', async () => {
		const target = device(`target-${++targets}`, 2);
		await expect(
			importSpaceBundle(secrets, fixture.file, bundleTarget(target))
		).resolves.toMatchObject({
			changed: true,
			refused: 0
		});
		expect(postTitles(target)).toHaveLength(7);
	});
});
