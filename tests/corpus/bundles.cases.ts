// Bad bundle files, one a line or one generated family a line: flipped
// bytes across every part of a real bundle, cuts at many lengths, wrong
// magic and versions, another space's file or key, hostile headers,
// contents that inflate to far more than a space holds. Each names the
// BundleProblem the import must end in, with the space left as it was.
import { BUNDLE_VERSION, type BundleProblem } from '../../src/lib/sync/bundle';

/** A real bundle of a small space, and ways to make others for the same space. */
export interface BundleFixture {
	file: Uint8Array;
	/** Where the nonce starts: magic (8) + length (2) + header. */
	bodyOffset: number;
	header: Record<string, unknown>;
	/** Seal `update` as a bundle of this space (under its key), with header fields changed. */
	seal(update: Uint8Array, header?: Record<string, unknown>): Promise<Uint8Array>;
	/** The same space's contents in a bundle of another space, and under another key. */
	otherSpace: Uint8Array;
	otherKey: Uint8Array;
	/** The contents inside `file`: its signed ranges. */
	update: Uint8Array;
	/** A whole bundle of this space as an app before signed sync made it (a Yjs update). */
	oldApp: Uint8Array;
	/** A bundle of this space whose contents inflate past the import's cap (a deflate bomb). */
	bomb(): Uint8Array;
}

type Make = (fixture: BundleFixture) => Uint8Array | Promise<Uint8Array>;

/** The file with byte `at` flipped (every bit). */
function flip(file: Uint8Array, at: number): Uint8Array {
	const copy = file.slice();
	copy[at] = (copy[at] as number) ^ 0xff;
	return copy;
}

/** A file with its header replaced by `text`, nonce and ciphertext kept. */
function withHeaderText(fixture: BundleFixture, text: string): Uint8Array {
	const header = new TextEncoder().encode(text);
	const body = fixture.file.subarray(fixture.bodyOffset);
	const file = new Uint8Array(10 + header.length + body.length);
	file.set(fixture.file.subarray(0, 8), 0);
	new DataView(file.buffer).setUint16(8, header.length);
	file.set(header, 10);
	file.set(body, 10 + header.length);
	return file;
}

const withHeader = (fixture: BundleFixture, patch: Record<string, unknown>) =>
	withHeaderText(fixture, JSON.stringify({ ...fixture.header, ...patch }));

const bytes = (text: string) => new TextEncoder().encode(text);

export const bundleCases: [label: string, make: Make, problem: BundleProblem][] = [
	// Flipped bytes, in every part of the file.
	...Array.from({ length: 8 }, (_, at): [string, Make, BundleProblem] => [
		`byte ${at} of the magic flipped`,
		(f) => flip(f.file, at),
		'not-a-bundle'
	]),
	['the header length, high byte, flipped', (f) => flip(f.file, 8), 'damaged'],
	['the header length, low byte, flipped', (f) => flip(f.file, 9), 'damaged'],
	...[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(
		(share): [string, Make, BundleProblem] => [
			`a header byte ${Math.round(share * 100)}% in flipped`,
			(f) => flip(f.file, 10 + Math.floor(share * (f.bodyOffset - 11))),
			'damaged'
		]
	),
	...[0, 1, 11, 23].map((at): [string, Make, BundleProblem] => [
		`nonce byte ${at} flipped`,
		(f) => flip(f.file, f.bodyOffset + at),
		'altered'
	]),
	...[0, 1, 2, 5, 10, 50, 100, 200].map((at): [string, Make, BundleProblem] => [
		`ciphertext byte ${at} flipped`,
		(f) => flip(f.file, Math.min(f.bodyOffset + 24 + at, f.file.length - 17)),
		'altered'
	]),
	...[1, 2, 8, 16].map((fromEnd): [string, Make, BundleProblem] => [
		`tag byte ${fromEnd} from the end flipped`,
		(f) => flip(f.file, f.file.length - fromEnd),
		'altered'
	]),
	// Cut short, at many lengths.
	...[0, 1, 7, 8, 9].map((length): [string, Make, BundleProblem] => [
		`only the first ${length} bytes`,
		(f) => f.file.slice(0, length),
		'not-a-bundle'
	]),
	...[10, 11, 20, 50].map((length): [string, Make, BundleProblem] => [
		`cut in the header at ${length} bytes`,
		(f) => f.file.slice(0, length),
		'truncated'
	]),
	...[0, 1, 12, 24, 25, 40, 41, 100].map((past): [string, Make, BundleProblem] => [
		`cut ${past} bytes past the header`,
		(f) => f.file.slice(0, f.bodyOffset + past),
		'truncated'
	]),
	...[1, 2, 16, 17].map((short): [string, Make, BundleProblem] => [
		`the last ${short} bytes missing`,
		(f) => f.file.slice(0, f.file.length - short),
		'truncated'
	]),
	['one byte too many', (f) => new Uint8Array([...f.file, 0]), 'altered'],
	['a second bundle glued on', (f) => new Uint8Array([...f.file, ...f.file]), 'altered'],
	// Not a bundle at all.
	['an empty file', () => new Uint8Array(0), 'not-a-bundle'],
	['a text file', () => bytes('Shopping list: water, rice, blankets\n'), 'not-a-bundle'],
	[
		'a zip file',
		() => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(60)]),
		'not-a-bundle'
	],
	[
		'a PNG picture',
		() => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
		'not-a-bundle'
	],
	[
		'the magic in lower case',
		(f) => new Uint8Array([...bytes('brbundle'), ...f.file.subarray(8)]),
		'not-a-bundle'
	],
	['only the magic', () => bytes('BRBUNDLE'), 'not-a-bundle'],
	['a file over 256 MiB', () => new Uint8Array(256 * 1024 * 1024 + 1), 'too-large'],
	// Hostile or wrong headers.
	[
		'a header length past the 4 KiB cap',
		(f) => {
			const c = f.file.slice();
			new DataView(c.buffer).setUint16(8, 4097);
			return c;
		},
		'damaged'
	],
	[
		'a header length of zero',
		(f) => {
			const c = f.file.slice();
			new DataView(c.buffer).setUint16(8, 0);
			return c;
		},
		'damaged'
	],
	['a newer version', (f) => withHeader(f, { version: BUNDLE_VERSION + 1 }), 'newer-version'],
	['a far future version', (f) => withHeader(f, { version: 1e308 }), 'newer-version'],
	['an older version', (f) => withHeader(f, { version: 0 }), 'altered'],
	['a version as text', (f) => withHeader(f, { version: '9' }), 'damaged'],
	['another format', (f) => withHeader(f, { format: 'zip' }), 'damaged'],
	['no format', (f) => withHeader(f, { format: undefined }), 'damaged'],
	['contents neither full nor delta', (f) => withHeader(f, { contains: 'everything' }), 'damaged'],
	['a space name of 81 characters', (f) => withHeader(f, { spaceName: 'n'.repeat(81) }), 'damaged'],
	['a space id of 65 characters', (f) => withHeader(f, { spaceId: 's'.repeat(65) }), 'damaged'],
	['a space id that is a number', (f) => withHeader(f, { spaceId: 7 }), 'damaged'],
	['a negative body length', (f) => withHeader(f, { bodyBytes: -1 }), 'damaged'],
	['a body length past the end', (f) => withHeader(f, { bodyBytes: 1e9 }), 'truncated'],
	['a changed creation time', (f) => withHeader(f, { createdAt: 0 }), 'altered'],
	[
		'a changed space name',
		(f) => withHeader(f, { spaceName: '<img src=x onerror=alert(1)>' }),
		'altered'
	],
	[
		'a __proto__ key in the header',
		(f) => withHeaderText(f, JSON.stringify(f.header).replace('{', '{"__proto__":{"version":9},')),
		'altered'
	],
	['a header that is null', (f) => withHeaderText(f, 'null'), 'damaged'],
	['a header that is a list', (f) => withHeaderText(f, '[1,2,3]'), 'damaged'],
	['a header that is a string', (f) => withHeaderText(f, '"barnraise-bundle"'), 'damaged'],
	['a header that is not JSON', (f) => withHeaderText(f, '{format: barnraise-bundle}'), 'damaged'],
	[
		'a header that is not UTF-8',
		(f) => withHeaderText(f, '{}').map((b, i) => (i === 10 ? 0xc3 : b)),
		'damaged'
	],
	[
		'a header nested 2,000 deep',
		(f) => withHeaderText(f, '['.repeat(2000) + ']'.repeat(2000)),
		'damaged'
	],
	// Another space, another key.
	['a bundle of another space', (f) => f.otherSpace, 'other-space'],
	["this space id over another space's bundle", (f) => f.otherKey, 'altered'],
	// Sealed right, wrong inside.
	['contents that are not signed ranges', (f) => f.seal(bytes('hello, not ranges')), 'damaged'],
	['signed ranges cut in half', (f) => f.seal(f.update.slice(0, f.update.length >> 1)), 'damaged'],
	['empty contents', (f) => f.seal(new Uint8Array(0)), 'damaged'],
	['contents that inflate past the cap (a deflate bomb)', (f) => f.bomb(), 'unpacks-too-large'],
	// Whole and sealed right, but unsigned: an older app's.
	['a bundle an app before signed sync made', (f) => f.oldApp, 'other-sync']
];
