import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId, PostId } from '../domain/ids';
import { createPost, initSpace } from '../doc/space-doc';
import {
	BundleError,
	MAX_BUNDLE_BYTES,
	MAX_UPDATE_BYTES,
	openBundle,
	readBundleHeader,
	writeBundle,
	type BundleProblem
} from './bundle';
import { deriveSpaceSecrets, generateSpaceKey } from './keys';
import { oldAppBundle } from './old-bundle.test-helper';
import { importSpaceBundle, parseStateCode } from './space-bundle';
import type { BundleTarget } from './v2/log-bundle';

/** A space's signed sync that no refused file may reach. */
const UNTOUCHED: BundleTarget = {
	get engine(): never {
		throw new Error('a refused bundle reached the engine');
	},
	listen: () => {
		throw new Error('a refused bundle reached the engine');
	},
	flush: async () => {}
};

const ANA = 'member-ana-0001' as MemberId;
const fields = (title: string) => ({
	kind: 'need' as const,
	title,
	details: 'x'.repeat(200),
	category: 'water',
	quantity: null,
	unit: '',
	urgency: 'normal' as const,
	locationText: '',
	contact: '',
	expiresAt: null
});

function spaceWith(posts: number) {
	const secrets = deriveSpaceSecrets(generateSpaceKey());
	const doc = new Y.Doc();
	initSpace(doc, 'Riverside', 1);
	for (let i = 0; i < posts; i++)
		createPost(
			doc,
			`post-bundle-${String(i).padStart(4, '0')}` as PostId,
			fields(`Post ${i}`),
			ANA,
			i
		);
	return { secrets, doc };
}

async function expectRefused(promise: Promise<unknown>, problem: BundleProblem) {
	const error = await promise.then(
		() => null,
		(failure: unknown) => failure
	);
	expect(error).toBeInstanceOf(BundleError);
	expect((error as BundleError).problem).toBe(problem);
}

describe('bundles', () => {
	describe('refuses bad files, naming the problem, and changes nothing', async () => {
		const { secrets, doc } = spaceWith(20);
		// With the name shown, so a changed header can be made by changing it.
		const { file } = await oldAppBundle(doc, secrets, null, { showName: true });
		const other = deriveSpaceSecrets(generateSpaceKey());
		const cases: [string, () => Promise<Uint8Array> | Uint8Array, BundleProblem][] = [
			['random bytes', () => crypto.getRandomValues(new Uint8Array(5000)), 'not-a-bundle'],
			['an empty file', () => new Uint8Array(), 'not-a-bundle'],
			['a plain Yjs update without our header', () => Y.encodeStateAsUpdate(doc), 'not-a-bundle'],
			['a file cut in half', () => file.subarray(0, Math.floor(file.byteLength / 2)), 'truncated'],
			['a file missing its last byte', () => file.subarray(0, file.byteLength - 1), 'truncated'],
			['a file cut inside its header', () => file.subarray(0, 20), 'truncated'],
			['one flipped byte in the contents', () => flip(file, file.byteLength - 10), 'altered'],
			['a byte added at the end', () => concat(file, new Uint8Array([0])), 'altered'],
			['a changed description', () => replaceText(file, 'Riverside', 'Riversidf'), 'altered'],
			[
				'a description that is not JSON',
				() => replaceText(file, '{"format"', '["format"'),
				'damaged'
			],
			[
				'the right space id under another key',
				() =>
					writeBundle(
						Y.encodeStateAsUpdate(doc),
						{
							spaceId: secrets.spaceId,
							spaceName: '',
							contains: 'full',
							since: null,
							createdAt: 1
						},
						other.bundleKey
					),
				'altered'
			],
			[
				'a bundle of another space',
				async () => (await oldAppBundle(new Y.Doc(), other)).file,
				'other-space'
			],
			[
				'a bundle from a newer app',
				() => replaceText(file, '"version":1', '"version":9'),
				'newer-version'
			]
		];
		it.each(cases)('%s', async (_label, make, problem) => {
			await expectRefused(importSpaceBundle(secrets, await make(), UNTOUCHED), problem);
		});

		it('a whole bundle an older app made (a Yjs update, unsigned)', async () => {
			await expectRefused(importSpaceBundle(secrets, file, UNTOUCHED), 'other-sync');
		});

		it('names the other space a bundle belongs to', async () => {
			const { file: theirs } = await oldAppBundle(spaceWith(1).doc, other, null, {
				showName: true
			});
			const error = await importSpaceBundle(secrets, theirs, UNTOUCHED).catch((e) => e);
			expect(error).toMatchObject({ problem: 'other-space', spaceName: 'Riverside' });
		});

		it('reads a version 1 bundle made before files said their length', async () => {
			const legacy = replaceText(file, ',"bodyBytes":', ',"bodyBytez":');
			expect(readBundleHeader(legacy).header.bodyBytes).toBeUndefined();
			// Without the length, a cut file can only be told by failing to open.
			await expectRefused(
				importSpaceBundle(secrets, legacy.subarray(0, legacy.byteLength - 1), UNTOUCHED),
				'altered'
			);
		});

		it('a small file that unpacks to more than a space can hold, stopped early', async () => {
			// 4 MiB of zeros packs to a few KiB; opened with a 1 MiB cap (the app's is MAX_UPDATE_BYTES).
			const header = {
				spaceId: secrets.spaceId,
				spaceName: '',
				contains: 'full' as const,
				since: null,
				createdAt: 1
			};
			const bomb = await writeBundle(new Uint8Array(4 * 1024 * 1024), header, secrets.bundleKey);
			expect(bomb.byteLength).toBeLessThan(64 * 1024);
			await expectRefused(
				openBundle(bomb, secrets.spaceId, secrets.bundleKey, 1024 * 1024),
				'unpacks-too-large'
			);
			expect(MAX_UPDATE_BYTES).toBeLessThan(MAX_BUNDLE_BYTES);
		});

		it('an oversized file, before reading it', async () => {
			const huge = new Uint8Array(MAX_BUNDLE_BYTES + 1);
			await expectRefused(importSpaceBundle(secrets, huge, UNTOUCHED), 'too-large');
		});
	});

	it('names what is wrong with a state code', () => {
		expect(parseStateCode('hello')).toEqual({ ok: false, problem: 'not-a-state-code' });
		expect(parseStateCode('BRSV1.!!')).toEqual({ ok: false, problem: 'not-a-state-code' });
		expect(parseStateCode('BRSV1.-w')).toEqual({ ok: false, problem: 'state-code-damaged' });
		// Whole, but an older app's (a Yjs state vector): it says nothing of signed logs.
		expect(parseStateCode('BRSV1.AA')).toEqual({ ok: false, problem: 'state-code-other-sync' });
	});
});

function flip(bytes: Uint8Array, at: number): Uint8Array {
	const copy = bytes.slice();
	copy[at] = (copy[at] ?? 0) ^ 0x01;
	return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const joined = new Uint8Array(a.length + b.length);
	joined.set(a, 0);
	joined.set(b, a.length);
	return joined;
}

function replaceText(bytes: Uint8Array, from: string, to: string): Uint8Array {
	const copy = bytes.slice();
	const needle = new TextEncoder().encode(from);
	const replacement = new TextEncoder().encode(to);
	for (let i = 0; i + needle.length <= copy.length; i++) {
		if (needle.every((byte, j) => copy[i + j] === byte)) {
			copy.set(replacement, i);
			return copy;
		}
	}
	throw new Error(`"${from}" not found`);
}
