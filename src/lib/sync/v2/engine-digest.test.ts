// Anti-entropy (docs/sync-protocol.md, "A bounded mesh, forwarding and
// anti-entropy"): every tick a device sends a digest of its log vector to one
// random link; unequal digests make the two exchange hellos and ask for what
// they lack. So a forwarded range lost on the way is found again, a settled
// room pays a 33-byte digest per device per tick, not its log vector, and a
// peer flooding digests gets one answer per period.
import { describe, expect, it } from 'vitest';
import { DIGEST_PERIOD_MS } from './engine';
import { MessageType, encodeMessage } from './messages';
import { TestNetwork, postTitles, seeded, writePost } from './network.test-helper';

describe('anti-entropy with digests', () => {
	it('brings a lost forwarded entry to the device past the loss, after ticks', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const net = new TestNetwork(seeded(seed));
			const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => net.device(name));
			// A partial mesh: a chain a–b–c–d plus a–b's neighbour d–b.
			net.connect(a!, b!);
			net.connect(b!, c!);
			net.connect(c!, d!);
			net.connect(d!, b!);
			net.settle();
			let lost = 0;
			// Every range pushed to c is lost on the way.
			net.lose = (_from, to, bytes) => to === c && bytes[0] === MessageType.entries && ++lost > 0;
			writePost(a!.doc, 'post-blankets', 'Blankets');
			net.settle();
			net.lose = null;
			expect(lost).toBeGreaterThan(0);
			expect(postTitles(c!)).toEqual([]);
			expect(postTitles(d!)).toEqual(['Blankets']);
			for (let i = 0; i < 8 && postTitles(c!).length === 0; i++) net.tick();
			expect(postTitles(c!), `seed ${seed}`).toEqual(['Blankets']);
		}
	});

	it('recovers a link whose two hellos were both lost: a digest is answered with a hello', () => {
		const net = new TestNetwork(seeded(9));
		const holder = net.device('holder');
		writePost(holder.doc, 'post-water', 'Water');
		net.settle();
		const joiner = net.device('joiner');
		let lost = 0;
		net.lose = (_from, _to, bytes) => bytes[0] === MessageType.hello && lost++ < 2;
		net.connect(joiner, holder);
		net.settle();
		net.lose = null;
		expect(lost).toBe(2);
		expect(postTitles(joiner)).toEqual([]);
		for (let i = 0; i < 4 && postTitles(joiner).length === 0; i++) net.tick();
		expect(postTitles(joiner)).toEqual(['Water']);
	});

	it('costs a settled room one small digest per device per tick', () => {
		const net = new TestNetwork(seeded(7));
		const devices = Array.from({ length: 6 }, (_, i) => net.device(`d${i}`));
		for (const [i, device] of devices.entries()) {
			net.connect(device, devices[(i + 1) % devices.length]!);
			net.connect(device, devices[(i + 2) % devices.length]!);
		}
		for (const [i, device] of devices.entries())
			for (let post = 0; post < 5; post++) writePost(device.doc, `post-${i}-${post}`);
		net.settle();
		net.tick();
		const before = net.traffic();
		net.tick();
		const after = net.traffic();
		expect(after.messages - before.messages).toBe(devices.length);
		// A type byte and 32 bytes of hash, where a hello carries 72+ bytes per author.
		expect(after.bytes - before.bytes).toBe(devices.length * 33);
	});

	it('answers a flood of digests once per link per period', () => {
		const net = new TestNetwork(seeded(3));
		const a = net.device('a');
		const b = net.device('b');
		net.connect(a, b);
		writePost(a.doc, 'post-first');
		net.settle();
		const answers = () => net.traffic({ from: b, to: a }).messages;
		const start = answers();
		for (let i = 0; i < 1_000; i++) {
			const hash = new Uint8Array(32);
			hash[0] = i % 256;
			hash[1] = i >> 8;
			b.engine.receive('a', encodeMessage({ type: 'digest', hash }));
		}
		expect(answers() - start).toBe(1);
		net.now += DIGEST_PERIOD_MS;
		for (let i = 0; i < 1_000; i++)
			b.engine.receive('a', encodeMessage({ type: 'digest', hash: new Uint8Array(32) }));
		expect(answers() - start).toBe(2);
	});

	it('takes a malformed digest as misbehaviour and goes on', () => {
		const net = new TestNetwork(seeded(4));
		const a = net.device('a');
		const b = net.device('b');
		net.connect(a, b);
		net.settle();
		for (const bytes of [
			new Uint8Array([MessageType.digest]),
			new Uint8Array([MessageType.digest, ...new Uint8Array(31)]),
			new Uint8Array([MessageType.digest, ...new Uint8Array(33)])
		])
			expect(() => b.engine.receive('a', bytes)).not.toThrow();
		expect(b.misbehaviour()).toHaveLength(3);
		writePost(a.doc, 'post-after-flood', 'After');
		net.settle();
		expect(postTitles(b)).toEqual(['After']);
	});
});
