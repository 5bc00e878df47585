// Presence v2 over in-memory links (#14, item 5): a state reaches two hops and
// not three, is passed on once, a renewal costs a bounded number of messages
// where y-webrtc's awareness relay floods the room, and hostile PRESENCE
// messages are dropped without harm. The flood is reproduced first, with
// y-webrtc's rule (every awareness update applied goes to every link).
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Link } from './engine';
import type { LinkedSync } from './mesh-links';
import {
	MAX_PRESENCE_BYTES,
	MAX_REMOTE_STATES,
	PRESENCE_BURST,
	PRESENCE_STATES_PER_SECOND,
	MAX_STATE_BYTES,
	MeshPresence,
	PRESENCE_TYPE,
	encodePresence
} from './presence';

/** What the engine would have been handed: nothing of presence may reach it. */
class EngineStub implements LinkedSync {
	readonly received: Uint8Array[] = [];
	addLink(): void {}
	removeLink(): void {}
	receive(_linkId: string, bytes: Uint8Array): void {
		this.received.push(bytes);
	}
}

interface Device {
	name: string;
	awareness: Awareness;
	engine: EngineStub;
	/** Receives what arrives on a link named by the sender. */
	receive(from: string, bytes: Uint8Array): void;
	link(link: Link): void;
	/** Messages this device sent. */
	sent: number;
}

const awarenesses: Awareness[] = [];
afterEach(() => {
	for (const awareness of awarenesses.splice(0)) awareness.destroy();
});

function newAwareness(): Awareness {
	const awareness = new Awareness(new Y.Doc());
	awarenesses.push(awareness);
	return awareness;
}

/** y-webrtc's rule, as its Room does it: every awareness update applied goes to every link. */
function floodingDevice(name: string): Device {
	const awareness = newAwareness();
	const links: Link[] = [];
	const device: Device = {
		name,
		awareness,
		engine: new EngineStub(),
		sent: 0,
		receive: (_from, bytes) => applyAwarenessUpdate(awareness, bytes, 'remote'),
		link: (link) => {
			links.push(link);
			// y-webrtc sends its awareness states on connect.
			link.send(encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()]));
		}
	};
	awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
		const update = encodeAwarenessUpdate(awareness, [...added!, ...updated!, ...removed!]);
		for (const link of links) link.send(update);
	});
	return device;
}

/** The clock presence measures each link's rate of new states by. */
const clock = { now: 0 };

function presenceDevice(name: string): Device & { presence: MeshPresence; dropped: string[] } {
	const awareness = newAwareness();
	const engine = new EngineStub();
	const dropped: string[] = [];
	const presence = new MeshPresence(awareness, engine, {
		onDropped: (_link, detail) => dropped.push(detail),
		now: () => clock.now
	});
	return {
		name,
		awareness,
		engine,
		presence,
		dropped,
		sent: 0,
		receive: (from, bytes) => presence.receive(from, bytes),
		link: (link) => presence.addLink(link)
	};
}

/** Ordered queues between devices; a test delivers until nothing is left. */
class Network<D extends Device> {
	readonly devices: D[];
	readonly #queue: { from: D; to: D; bytes: Uint8Array }[] = [];
	/** Messages sent since the last `count()`. */
	#sent = 0;

	constructor(devices: D[]) {
		this.devices = devices;
	}

	connect(a: D, b: D): void {
		const half = (from: D, to: D): Link => ({
			id: to.name,
			send: (bytes) => {
				from.sent += 1;
				this.#sent += 1;
				this.#queue.push({ from, to, bytes });
			}
		});
		a.link(half(a, b));
		b.link(half(b, a));
	}

	deliver(): void {
		for (let next = this.#queue.shift(); next; next = this.#queue.shift())
			next.to.receive(next.from.name, next.bytes);
	}

	/** Messages sent since the last call. */
	count(): number {
		const sent = this.#sent;
		this.#sent = 0;
		for (const device of this.devices) device.sent = 0;
		return sent;
	}
}

function firstFour<D>(devices: D[]): [D, D, D, D] {
	return devices as [D, D, D, D];
}

function members(device: Device): string[] {
	const found: string[] = [];
	device.awareness.getStates().forEach((state, id) => {
		if (id !== device.awareness.clientID && typeof state.member === 'string')
			found.push(state.member);
	});
	return found.sort();
}

/** A seeded random source (mulberry32): one seed, one graph. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Edges of a random d-regular graph on n nodes: stubs paired at random, tried again until simple and connected. */
function regularGraph(n: number, d: number, random: () => number): [number, number][] {
	for (;;) {
		const stubs = Array.from({ length: n * d }, (_, i) => Math.floor(i / d));
		const edges: [number, number][] = [];
		const seen = new Set<string>();
		while (stubs.length > 0) {
			const a = stubs.pop()!;
			// Any stub left that makes no loop and no second edge between the same two.
			const fits = stubs.flatMap((b, i) =>
				b !== a && !seen.has(`${Math.min(a, b)}-${Math.max(a, b)}`) ? [i] : []
			);
			if (fits.length === 0) break;
			const [b] = stubs.splice(fits[Math.floor(random() * fits.length)]!, 1) as [number];
			seen.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
			edges.push([a, b]);
		}
		if (edges.length === (n * d) / 2 && isConnected(n, edges)) return edges;
	}
}

function isConnected(n: number, edges: [number, number][]): boolean {
	const reached = new Set([0]);
	for (let grew = true; grew;) {
		grew = false;
		for (const [a, b] of edges)
			if (reached.has(a) !== reached.has(b)) {
				reached.add(a);
				reached.add(b);
				grew = true;
			}
	}
	return reached.size === n;
}

function ring(n: number): [number, number][] {
	return Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]);
}

function room<D extends Device>(
	make: (name: string) => D,
	n: number,
	edges: [number, number][]
): Network<D> {
	const devices = Array.from({ length: n }, (_, i) => make(`d${i}`));
	for (const [i, device] of devices.entries()) device.awareness.setLocalState({ member: `m${i}` });
	const net = new Network(devices);
	for (const [a, b] of edges) net.connect(devices[a]!, devices[b]!);
	net.deliver();
	return net;
}

/** Messages one renewal of `device`'s state costs the room, once everything is delivered. */
function renewalCost(net: Network<Device>, device: Device): number {
	net.count();
	// What y-protocols does every 15 s: set the same state again, with the clock advanced.
	device.awareness.setLocalState(device.awareness.getLocalState());
	net.deliver();
	return net.count();
}

describe('presence in a sync v2 room', () => {
	it('reaches two hops and not three', () => {
		const net = room(presenceDevice, 4, [
			[0, 1],
			[1, 2],
			[2, 3]
		]);
		const [a, b, c, d] = firstFour(net.devices);
		expect(members(a)).toEqual(['m1', 'm2']);
		expect(members(b)).toEqual(['m0', 'm2', 'm3']);
		expect(members(c)).toEqual(['m0', 'm1', 'm3']);
		expect(members(d)).toEqual(['m1', 'm2']);
		// A change travels the same way.
		a.awareness.setLocalStateField('member', 'm0-renamed');
		net.deliver();
		expect(members(c)).toEqual(['m0-renamed', 'm1', 'm3']);
		expect(members(d)).toEqual(['m1', 'm2']);
	});

	it('passes a state on once, and only when it is new', () => {
		// A diamond: 0's state reaches 3 through both 1 and 2.
		const net = room(presenceDevice, 4, [
			[0, 1],
			[0, 2],
			[1, 3],
			[2, 3],
			[1, 2]
		]);
		const [a, b, c, d] = firstFour(net.devices);
		net.count();
		a.awareness.setLocalState(a.awareness.getLocalState());
		net.deliver();
		// 0 sends to its 2 links; 1 and 2 each pass it on to their 2 others at most; 3 passes nothing (last hop).
		expect(a.sent).toBe(2);
		expect(b.sent).toBeLessThanOrEqual(2);
		expect(c.sent).toBeLessThanOrEqual(2);
		expect(d.sent).toBe(0);
		// The same state again (a copy arriving late) is not new: nobody passes it on.
		const same = encodePresence({
			hops: 2,
			states: [
				{
					clientId: a.awareness.clientID,
					clock: a.awareness.meta.get(a.awareness.clientID)!.clock,
					json: JSON.stringify(a.awareness.getLocalState()),
					state: a.awareness.getLocalState()
				}
			]
		});
		net.count();
		b.receive('d0', same);
		net.deliver();
		expect(net.count()).toBe(0);
	});

	it('sends its own state on a new link, and a departure', () => {
		const net = room(presenceDevice, 2, [[0, 1]]);
		const [a, b] = firstFour(net.devices);
		expect(members(b)).toEqual(['m0']);
		a.awareness.setLocalState(null);
		net.deliver();
		expect(members(b)).toEqual([]);
	});

	it('hands everything else to the engine untouched', () => {
		const net = room(presenceDevice, 2, [[0, 1]]);
		const b = net.devices[1]!;
		b.receive('d0', new Uint8Array([1, 2, 3]));
		expect(b.engine.received).toEqual([new Uint8Array([1, 2, 3])]);
	});
});

describe('a renewal in a room of 16', () => {
	const cases: [string, [number, number][], number][] = [
		['a ring', ring(16), 2],
		['a random 6-regular graph', regularGraph(16, 6, seeded(14)), 6]
	];
	for (const [shape, edges, degree] of cases) {
		it(`floods ${shape} under y-webrtc's awareness relay, and costs at most d + d(d − 1) as PRESENCE`, () => {
			const flood = room(floodingDevice, 16, edges);
			const v2 = room(presenceDevice, 16, edges);
			const floodCosts = flood.devices.map((device) => renewalCost(flood, device));
			const v2Costs = v2.devices.map((device) => renewalCost(v2, device));
			const mean = (costs: number[]) => costs.reduce((a, b) => a + b, 0) / costs.length;
			console.log(
				`presence messages per renewal, 16 devices, ${shape}: y-webrtc ${mean(floodCosts)}, v2 ${mean(v2Costs)}`
			);
			// y-webrtc: every device that applies the renewal sends it on every link.
			for (const cost of floodCosts) expect(cost).toBe(16 * degree);
			for (const cost of v2Costs) expect(cost).toBeLessThanOrEqual(degree + degree * (degree - 1));
			expect(mean(v2Costs)).toBeLessThan(mean(floodCosts));
		});
	}

	it('grows with the links a device holds, not with the room', () => {
		// 64 devices, 6 links each: y-webrtc would send 384 messages per renewal.
		const v2 = room(presenceDevice, 64, regularGraph(64, 6, seeded(7)));
		for (const device of v2.devices.slice(0, 8))
			expect(renewalCost(v2, device)).toBeLessThanOrEqual(36);
	});
});

/** A PRESENCE as a hostile peer may write it: any hop count, count and bytes. */
function craft(
	hops: number,
	states: { clientId: number; clock: number; json: string }[]
): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeUint8(encoder, PRESENCE_TYPE);
	encoding.writeVarUint(encoder, hops);
	encoding.writeVarUint(encoder, states.length);
	for (const state of states) {
		encoding.writeVarUint(encoder, state.clientId);
		encoding.writeVarUint(encoder, state.clock);
		encoding.writeVarString(encoder, state.json);
	}
	return encoding.toUint8Array(encoder);
}

describe('hostile PRESENCE messages', () => {
	/** A line 0 – 1 – 2 – 3; the hostile peer is on 1's link from 0. */
	function line() {
		const net = room(presenceDevice, 4, [
			[0, 1],
			[1, 2],
			[2, 3]
		]);
		const victim = net.devices[1]!;
		net.count();
		return { net, victim, after: net.devices[2]!, far: net.devices[3]! };
	}

	/** The victim is unharmed: no engine message, and an honest state still comes through and on. */
	function expectUnharmed(net: Network<ReturnType<typeof presenceDevice>>) {
		const victim = net.devices[1]!;
		expect(victim.engine.received).toEqual([]);
		net.devices[0]!.awareness.setLocalStateField('member', 'still here');
		net.deliver();
		expect(members(victim)).toContain('still here');
		expect(members(net.devices[2]!)).toContain('still here');
	}

	const ghost = (clock = 1) => ({ clientId: 424242, clock, json: '{"member":"ghost"}' });

	it('does not pass on a state past two hops, whatever hop count it claims', () => {
		const { net, victim, after, far } = line();
		for (const hops of [3, 200, 2 ** 40]) victim.receive('d0', craft(hops, [ghost()]));
		victim.receive('d0', craft(0, [ghost()]));
		net.deliver();
		expect(members(victim)).not.toContain('ghost');
		expect(members(after)).not.toContain('ghost');
		expect(members(far)).not.toContain('ghost');
		expect(victim.dropped).toEqual([
			'hop count 3',
			'hop count 200',
			'hop count 1099511627776',
			'hop count 0'
		]);
		expectUnharmed(net);
	});

	it('drops a message that is too large, or carries too many states', () => {
		const { net, victim } = line();
		const many = Array.from({ length: 5 }, (_, i) => ({ ...ghost(), clientId: 1000 + i }));
		victim.receive('d0', craft(1, many));
		const padding = 'x'.repeat(MAX_PRESENCE_BYTES);
		victim.receive('d0', craft(1, [{ ...ghost(), json: `{"member":"${padding}"}` }]));
		expect(victim.dropped).toEqual(['5 states in one message', 'too large']);
		expect(members(victim)).not.toContain('ghost');
		expectUnharmed(net);
	});

	it('drops a state that is too large, or not an object, or not JSON', () => {
		const { net, victim } = line();
		const big = `{"member":"${'x'.repeat(MAX_STATE_BYTES)}"}`;
		for (const json of [big, '[1,2]', '42', '"ghost"', '{"member":', ''])
			victim.receive('d0', craft(1, [{ ...ghost(), json }]));
		expect(victim.dropped).toEqual([
			'state too large',
			'state is not an object',
			'state is not an object',
			'state is not an object',
			'unreadable',
			'unreadable'
		]);
		expectUnharmed(net);
	});

	it('drops bytes cut short, trailing bytes, and text that is not UTF-8', () => {
		const { net, victim } = line();
		const whole = craft(1, [ghost()]);
		victim.receive('d0', whole.subarray(0, whole.length - 3));
		victim.receive('d0', new Uint8Array([...whole, 0]));
		victim.receive('d0', new Uint8Array([PRESENCE_TYPE]));
		const bad = craft(1, [{ ...ghost(), json: 'ab' }]);
		bad.set([0xff, 0xfe], bad.length - 2);
		victim.receive('d0', bad);
		// A length that claims more than the message holds.
		victim.receive('d0', new Uint8Array([PRESENCE_TYPE, 1, 1, 5, 1, 0xc8, 0x01, 0x7b]));
		expect(victim.dropped).toEqual([
			'cut short',
			'trailing bytes',
			'unreadable',
			'unreadable',
			'cut short'
		]);
		expect(members(victim)).not.toContain('ghost');
		expectUnharmed(net);
	});

	it('never lets a peer set or remove this device’s own state', () => {
		const { net, victim } = line();
		const own = victim.awareness.clientID;
		victim.receive(
			'd0',
			craft(2, [{ clientId: own, clock: 2 ** 40, json: '{"member":"forged"}' }])
		);
		victim.receive('d0', craft(2, [{ clientId: own, clock: 2 ** 40, json: 'null' }]));
		net.deliver();
		expect(victim.awareness.getLocalState()).toEqual({ member: 'm1' });
		expect(members(net.devices[2]!)).toEqual(['m0', 'm1', 'm3']);
		expectUnharmed(net);
	});

	it('keeps at most MAX_REMOTE_STATES states from made-up devices', () => {
		const { victim } = line();
		const state = (clientId: number, stateClock: number, json = '{"member":"x"}') => {
			// Slowly enough for any link's rate (that has a test of its own).
			clock.now += 1000;
			victim.receive('d0', craft(1, [{ clientId, clock: stateClock, json }]));
		};
		// Some come and go at once, then enough others to fill every place...
		for (let i = 0; i < 200; i++) {
			state(10_000 + i, 1);
			state(10_000 + i, 2, 'null');
		}
		for (let i = 0; i < MAX_REMOTE_STATES; i++) state(20_000 + i, 1);
		expect(victim.awareness.getStates().size).toBe(MAX_REMOTE_STATES + 1);
		// ...and those that left come back: they need a place as much as new ones.
		for (let i = 0; i < 200; i++) state(10_000 + i, 3);
		expect(victim.awareness.getStates().size).toBe(MAX_REMOTE_STATES + 1);
		// Made-up devices coming and going without end: what is kept of them does not pile up.
		for (let i = 0; i < 2_000; i++) {
			state(30_000 + i, 1);
			state(30_000 + i, 2, 'null');
		}
		expect(victim.awareness.meta.size).toBeLessThanOrEqual(2 * MAX_REMOTE_STATES + 1);
		// The devices it already knew are still there.
		expect(members(victim)).toEqual(expect.arrayContaining(['m0', 'm2', 'm3']));
	});

	it('takes at most a burst of new states from one link, then its rate, and passes no more on', () => {
		const { net, victim, after } = line();
		// Long after the room formed: the link's allowance is whole again.
		clock.now += 60_000;
		const flood = (from: number, count: number) => {
			for (let i = 0; i < count; i++)
				victim.receive('d0', craft(2, [{ clientId: from + i, clock: 1, json: '{"member":"f"}' }]));
		};
		flood(50_000, 1_000);
		expect(victim.awareness.getStates().size - 4).toBe(PRESENCE_BURST);
		expect(victim.dropped).toContain('more new presence than any device sends');
		// Passed on no more than were taken.
		expect(net.count()).toBe(PRESENCE_BURST);
		net.deliver();
		// A second later, the link may bring its rate again.
		clock.now += 1000;
		flood(60_000, 100);
		expect(victim.awareness.getStates().size - 4).toBe(PRESENCE_BURST + PRESENCE_STATES_PER_SECOND);
		// Another link is not held back by this one's flood.
		after.awareness.setLocalStateField('member', 'after, renamed');
		net.deliver();
		expect(members(victim)).toContain('after, renamed');
		// The flooding link itself is heard again once its rate allows.
		clock.now += 1000;
		expectUnharmed(net);
	});
});
