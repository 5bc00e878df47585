import { describe, expect, it, vi } from 'vitest';
import { deflateRaw, inflateRaw } from '../compression';
import {
	DEFLATE_MIN_BYTES,
	DeflatingLink,
	LinkFrame,
	MAX_INFLATED_BYTES,
	MAX_RATIO,
	looksIncompressible
} from './link-deflate';

// The real compression, watched: how many times a message was deflated.
vi.mock('../compression', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../compression')>();
	return {
		...actual,
		deflateRaw: vi.fn(actual.deflateRaw),
		inflateRaw: vi.fn(actual.inflateRaw)
	};
});

/** Deflating and inflating take their time on a loaded machine: waits are generous, nothing is timed. */
const WAIT = { timeout: 60_000, interval: 20 };

/** Text-like bytes that deflate well, as a Yjs update of posts does. */
function compressible(length: number, seed = 0): Uint8Array {
	const bytes = new Uint8Array(length);
	const encoder = new TextEncoder();
	for (let at = 0, i = 0; at < length; i++)
		at += encoder.encodeInto(
			`post ${seed}-${i} needs ${(i * 7919) % 10007} l, `,
			bytes.subarray(at)
		).written;
	return bytes;
}

function framed(tag: number, bytes: Uint8Array): Uint8Array {
	const frame = new Uint8Array(bytes.length + 1);
	frame[0] = tag;
	frame.set(bytes, 1);
	return frame;
}

function random(length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i += 65536)
		crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65536)));
	return bytes;
}

/** Two ends joined in memory; every frame that crossed is kept. */
function pair(options: { bInflates?: boolean } = {}) {
	const frames: { to: 'a' | 'b'; frame: Uint8Array }[] = [];
	const delivered = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
	const problems: string[] = [];
	let a: DeflatingLink | null = null;
	let b: DeflatingLink | null = null;
	const early: Uint8Array[] = [];
	a = new DeflatingLink({
		send: (frame) => {
			frames.push({ to: 'b', frame });
			if (b) b.receive(frame);
			else early.push(frame);
		},
		deliver: (message) => delivered.a.push(message),
		onProblem: (detail) => problems.push(detail)
	});
	if (options.bInflates !== false) {
		b = new DeflatingLink({
			send: (frame) => {
				frames.push({ to: 'a', frame });
				a!.receive(frame);
			},
			deliver: (message) => delivered.b.push(message),
			onProblem: (detail) => problems.push(detail)
		});
		for (const frame of early) b.receive(frame);
	}
	return { a, b, frames, delivered, problems, early };
}

/** One end alone, fed frames by the test: what it delivered and what it reported. */
function receiver() {
	const problems: string[] = [];
	const delivered: Uint8Array[] = [];
	const link = new DeflatingLink({
		send: () => {},
		deliver: (message) => delivered.push(message),
		onProblem: (detail) => problems.push(detail)
	});
	return { link, delivered, problems };
}

describe('DeflatingLink', { timeout: 60_000 }, () => {
	it('deflates large messages once the peer inflates, and delivers everything in order', async () => {
		const { a, delivered, frames } = pair();
		const messages = [
			Uint8Array.of(1, 2, 3),
			compressible(200_000, 1),
			Uint8Array.of(4),
			compressible(50_000, 2),
			compressible(DEFLATE_MIN_BYTES - 1, 3),
			compressible(300_000, 4)
		];
		for (const message of messages) a.send(message);
		await vi.waitFor(() => expect(delivered.b.length).toBe(messages.length), WAIT);
		// Compared as buffers: element by element, half a megabyte is slow to diff.
		expect(delivered.b.map((message) => Buffer.from(message).toString('base64'))).toEqual(
			messages.map((message) => Buffer.from(message).toString('base64'))
		);
		const toB = frames.filter((frame) => frame.to === 'b').map((frame) => frame.frame);
		// The offer first, then the messages; the three large ones deflated, and much smaller.
		expect(toB.filter((frame) => frame[0] === LinkFrame.deflated)).toHaveLength(3);
		const sent = toB.reduce((sum, frame) => sum + frame.length, 0);
		const raw = messages.reduce((sum, message) => sum + message.length, 0);
		expect(sent).toBeLessThan(raw / 4);
	});

	it('deflates a message that several links send once, and each peer gets all of it', async () => {
		const links = [pair(), pair(), pair()];
		const message = compressible(200_000, 7);
		vi.mocked(deflateRaw).mockClear();
		for (const { a } of links) a.send(message);
		for (const { delivered } of links)
			await vi.waitFor(() => expect(delivered.b).toHaveLength(1), WAIT);
		expect(vi.mocked(deflateRaw)).toHaveBeenCalledTimes(1);
		for (const { delivered, frames } of links) {
			expect(Buffer.from(delivered.b[0]!).equals(Buffer.from(message))).toBe(true);
			expect(frames.some(({ frame }) => frame[0] === LinkFrame.deflated)).toBe(true);
		}
		// An equal message that is another object is deflated on its own.
		links[0]!.a.send(message.slice());
		await vi.waitFor(() => expect(links[0]!.delivered.b).toHaveLength(2), WAIT);
		expect(vi.mocked(deflateRaw)).toHaveBeenCalledTimes(2);
	});

	it('inflates and hashes the next message while the one before waits, two at most', async () => {
		const actual = await vi.importActual<typeof import('../compression')>('../compression');
		const messages = Array.from({ length: 6 }, (_, i) => compressible(100_000, i));
		const frames = await Promise.all(
			messages.map(async (message) => framed(LinkFrame.deflated, await deflateRaw(message)))
		);
		const delivered: Uint8Array[] = [];
		const events: string[] = [];
		let inflating = 0;
		let mostAhead = 0;
		vi.mocked(inflateRaw).mockImplementation(async (bytes, limit) => {
			inflating += 1;
			// Inflated, not yet delivered, counting this one.
			mostAhead = Math.max(mostAhead, inflating - delivered.length);
			return actual.inflateRaw(bytes, limit);
		});
		// The first message's hashes take a while: the next is inflated and hashed meanwhile.
		let release = () => {};
		const slow = new Promise<undefined>((resolve) => (release = () => resolve(undefined)));
		let hashed = 0;
		const link = new DeflatingLink({
			send: () => {},
			deliver: (message) => {
				delivered.push(message);
				events.push(`delivered ${delivered.length}`);
			},
			prehash: () => {
				hashed += 1;
				events.push(`hashing ${hashed}`);
				return hashed === 1 ? slow : Promise.resolve(undefined);
			}
		});
		try {
			for (const frame of frames) link.receive(frame);
			await vi.waitFor(() => expect(hashed).toBe(2), WAIT);
			expect(delivered).toHaveLength(0);
			release();
			await vi.waitFor(() => expect(delivered).toHaveLength(6), WAIT);
		} finally {
			vi.mocked(inflateRaw).mockImplementation(actual.inflateRaw);
		}
		expect(delivered.map((message) => Buffer.from(message).toString('base64'))).toEqual(
			messages.map((message) => Buffer.from(message).toString('base64'))
		);
		expect(events.slice(0, 3)).toEqual(['hashing 1', 'hashing 2', 'delivered 1']);
		expect(mostAhead).toBeLessThanOrEqual(2);
	});

	it('sends everything as it is to a peer that never said it inflates', async () => {
		const { a, frames } = pair({ bInflates: false });
		const large = compressible(100_000);
		a.send(large);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const toB = frames.filter((frame) => frame.to === 'b').map((frame) => frame.frame);
		expect(toB).toEqual([Uint8Array.of(LinkFrame.inflates), large]);
	});

	it('sends as it is what does not shrink, and what would shrink past the ratio a receiver takes', async () => {
		const { a, delivered, frames } = pair();
		const noise = random(100_000);
		const zeros = new Uint8Array(200_000);
		a.send(noise);
		a.send(zeros);
		await vi.waitFor(() => expect(delivered.b).toHaveLength(2), WAIT);
		expect(delivered.b).toEqual([noise, zeros]);
		const toB = frames.filter((frame) => frame.to === 'b').map((frame) => frame.frame);
		expect(toB.some((frame) => frame[0] === LinkFrame.deflated)).toBe(false);
	});

	it('tells a picture from posts without deflating either, and tries what is mixed', () => {
		expect(looksIncompressible(random(2 * 1024 * 1024))).toBe(true);
		expect(looksIncompressible(compressible(2 * 1024 * 1024))).toBe(false);
		// Posts with a picture in the middle: worth deflating.
		const mixed = compressible(300_000);
		mixed.set(random(200_000), 50_000);
		expect(looksIncompressible(mixed)).toBe(false);
		// Small messages are always tried.
		expect(looksIncompressible(random(32 * 1024))).toBe(false);
	});

	it('sends a picture as it is, at once, ahead of nothing it should follow', async () => {
		const { a, delivered, frames } = pair();
		const picture = random(1024 * 1024);
		const posts = compressible(200_000);
		a.send(posts);
		a.send(picture);
		await vi.waitFor(() => expect(delivered.b).toHaveLength(2), WAIT);
		// Still in the order sent: the picture waits for the posts' deflate.
		expect(delivered.b.map((message) => message.length)).toEqual([posts.length, picture.length]);
		const toB = frames.filter((frame) => frame.to === 'b').map((frame) => frame.frame);
		expect(toB.map((frame) => frame[0] === LinkFrame.deflated)).toEqual([false, true, false]);
	});

	it('sends a message larger than a receiver inflates as it is, so it still arrives', async () => {
		const { a, delivered, frames } = pair();
		const large = compressible(MAX_INFLATED_BYTES + 1);
		a.send(large);
		await vi.waitFor(() => expect(delivered.b.length).toBe(1), WAIT);
		expect(delivered.b[0]!.length).toBe(large.length);
		expect(frames.some(({ frame }) => frame[0] === LinkFrame.deflated)).toBe(false);
	});

	it('drops a deflated frame that inflates past the ratio (a bomb), reports it, and goes on', async () => {
		const { link, delivered, problems } = receiver();
		// 8 MiB of zeros deflate to about 8 KiB, a thousand times: within the largest
		// message, far past the ratio.
		const bomb = await deflateRaw(new Uint8Array(8 * 1024 * 1024));
		expect(bomb.length * MAX_RATIO).toBeLessThan(1024 * 1024);
		link.receive(framed(LinkFrame.deflated, bomb));
		link.receive(Uint8Array.of(1, 2, 3));
		await vi.waitFor(() => expect(delivered).toHaveLength(1), WAIT);
		expect(delivered[0]).toEqual(Uint8Array.of(1, 2, 3));
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/inflates past/);
	});

	it('drops a frame past the largest message, even at an honest ratio', async () => {
		const { link, delivered, problems } = receiver();
		const big = compressible(MAX_INFLATED_BYTES + 1024);
		const deflated = await deflateRaw(big);
		expect(deflated.length * MAX_RATIO).toBeGreaterThan(big.length);
		link.receive(framed(LinkFrame.deflated, deflated));
		link.receive(Uint8Array.of(7));
		await vi.waitFor(() => expect(delivered.map((message) => message.length)).toEqual([1]), WAIT);
		expect(problems).toHaveLength(1);
	});

	it('drops a deflated frame that is not deflate, and keeps the order of what follows', async () => {
		const { link, delivered, problems } = receiver();
		const good = compressible(10_000);
		link.receive(Uint8Array.of(LinkFrame.deflated, 0xff, 0xfe, 0xfd, 0xfc));
		link.receive(framed(LinkFrame.deflated, await deflateRaw(good)));
		link.receive(Uint8Array.of(9));
		await vi.waitFor(() => expect(delivered).toHaveLength(2), WAIT);
		expect(delivered).toEqual([good, Uint8Array.of(9)]);
		expect(problems).toHaveLength(1);
	});

	it('delivers nothing after close', async () => {
		const { a, b, delivered } = pair();
		a.send(compressible(100_000));
		b!.close();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(delivered.b).toEqual([]);
	});
});
