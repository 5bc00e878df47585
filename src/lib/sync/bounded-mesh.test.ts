import { describe, expect, it } from 'vitest';
import {
	BoundedMesh,
	BUSY_PEERS,
	MESH_AIM,
	MESH_CAP,
	PASSIVE_MAX,
	RETRY_MS,
	type MeshActions,
	type MeshRoom,
	type MeshSignal
} from './bounded-mesh';
import { readSignalingMessage } from './signaling-guard';

/** A room whose links are ids in a map, and a log of what the policy did. */
function setup(peerId: string, linked: string[] = [], { closesLater = false } = {}) {
	let now = 1_000;
	const destroyed: string[] = [];
	const room: MeshRoom = { peerId, webrtcConns: new Map() };
	/** With closesLater, as in y-webrtc: a destroyed link leaves the map on its close event. */
	const closing: (() => void)[] = [];
	const add = (id: string, connected = true) => {
		const onClose: (() => void)[] = [];
		const close = () => {
			room.webrtcConns.delete(id);
			for (const listener of onClose) listener();
		};
		room.webrtcConns.set(id, {
			connected,
			peer: {
				destroy: () => {
					destroyed.push(id);
					if (closesLater) closing.push(close);
					else close();
				},
				once: (_event: 'close', listener: () => void) => onClose.push(listener)
			}
		});
	};
	for (const id of linked) add(id);
	const connects: string[] = [];
	const published: MeshSignal[] = [];
	const actions: MeshActions = {
		connect: (id) => {
			connects.push(id);
			add(id, false);
		},
		publish: (message) => published.push(message)
	};
	const mesh = new BoundedMesh({ random: () => 0.5, now: () => now });
	return {
		room,
		mesh,
		actions,
		connects,
		closeAll: () => closing.splice(0).forEach((close) => close()),
		published,
		destroyed,
		add,
		later: (ms: number) => (now += ms)
	};
}

const ids = (prefix: string, n: number) =>
	Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('BoundedMesh', () => {
	it('starts a link only to a higher id; asks a lower one to start it', () => {
		const t = setup('m');
		t.mesh.onAnnounce(t.room, 'z', t.actions);
		expect(t.connects).toEqual(['z']);
		t.mesh.onAnnounce(t.room, 'a', t.actions);
		expect(t.connects).toEqual(['z']);
		expect(t.published).toEqual([{ type: 'here', from: 'm', to: 'a', wants: true }]);
		// The lower one, asked, starts it.
		const lower = setup('a');
		lower.mesh.onHere(lower.room, 'm', true, lower.actions);
		expect(lower.connects).toEqual(['m']);
	});

	it('takes offers up to the cap, then answers busy with a few other peers and takes none', () => {
		const t = setup('m', ids('p', MESH_CAP - 1));
		for (const id of ids('q', 20)) t.mesh.onAnnounce(t.room, id, t.actions);
		t.published.length = 0;
		expect(t.mesh.takeOffer(t.room, 'x1', t.actions)).toBe(true);
		t.add('x1');
		expect(t.mesh.takeOffer(t.room, 'x2', t.actions)).toBe(false);
		expect(t.room.webrtcConns.size).toBe(MESH_CAP);
		const [busy] = t.published;
		expect(busy).toMatchObject({ type: 'busy', from: 'm', to: 'x2' });
		const named = (busy as Extract<MeshSignal, { type: 'busy' }>).peers;
		expect(named).toHaveLength(BUSY_PEERS);
		expect(named).not.toContain('x2');
		expect(new Set(named).size).toBe(BUSY_PEERS);
	});

	it('asked for a link at its cap, answers busy instead of linking', () => {
		const t = setup('a', ids('p', MESH_CAP));
		t.mesh.onHere(t.room, 'z', true, t.actions);
		expect(t.connects).toEqual([]);
		expect(t.published[0]).toMatchObject({ type: 'busy', to: 'z' });
	});

	it('on busy drops the opening link and tries the peers it was given, not the busy one soon', () => {
		const t = setup('a', ids('p', 2));
		t.mesh.onAnnounce(t.room, 'z', t.actions);
		expect(t.connects).toEqual(['z']);
		t.mesh.onBusy(t.room, 'z', ['y', 'x', 'a'], t.actions);
		expect(t.destroyed).toEqual(['z']);
		expect(t.connects.slice(1).sort()).toEqual(['x', 'y']);
		expect(t.mesh.passive()).not.toContain('a');
		// Below the aim still, but z said busy and x, y were just tried.
		t.connects.length = 0;
		t.mesh.fill(t.room, t.actions);
		expect(t.connects).toEqual([]);
		t.later(RETRY_MS + 1);
		t.mesh.fill(t.room, t.actions);
		expect(t.connects).toEqual(['z']);
	});

	it('fills only up to the aim, and a busy full of ids never takes it past the cap', () => {
		const t = setup('a');
		for (const id of ids('p', 20)) t.mesh.onHere(t.room, id, false, t.actions);
		t.mesh.fill(t.room, t.actions);
		expect(t.room.webrtcConns.size).toBe(MESH_AIM);
		for (let round = 0; round < 10; round++) {
			t.mesh.onBusy(t.room, `busy${round}`, ids(`r${round}-`, 8), t.actions);
			for (const id of ids(`s${round}-`, 5)) t.mesh.onHere(t.room, id, true, t.actions);
			t.later(RETRY_MS + 1);
		}
		expect(t.room.webrtcConns.size).toBeLessThanOrEqual(MESH_CAP);
	});

	it('remembers at most PASSIVE_MAX peers, the latest heard', () => {
		const t = setup('a', ids('p', MESH_CAP));
		for (const id of ids('q', 100)) t.mesh.onAnnounce(t.room, id, t.actions);
		expect(t.mesh.passive()).toHaveLength(PASSIVE_MAX);
		expect(t.mesh.passive().at(-1)).toBe('q99');
	});

	it('answers a known peer’s repeated announce only while it wants links', () => {
		const t = setup('z', ids('p', MESH_AIM));
		t.mesh.onAnnounce(t.room, 'b', t.actions);
		t.mesh.onAnnounce(t.room, 'b', t.actions);
		expect(t.published).toEqual([{ type: 'here', from: 'z', to: 'b', wants: false }]);
	});
});

describe('the shuffle', () => {
	it('at the aim, trades one open link for a passive peer, and not straight back', () => {
		const t = setup('m', ids('p', MESH_AIM));
		t.mesh.onHere(t.room, 'z1', false, t.actions);
		t.mesh.shuffle(t.room, t.actions);
		expect(t.destroyed).toHaveLength(1);
		expect(t.connects).toEqual(['z1']);
		expect(t.room.webrtcConns.size).toBe(MESH_AIM);
		// The dropped peer is not linked again by the next fill.
		t.mesh.fill(t.room, t.actions);
		expect(t.connects).toEqual(['z1']);
	});

	it('at the cap, links the new peer only once the dropped link has closed: never over the cap', () => {
		const t = setup('m', ids('p', MESH_CAP), { closesLater: true });
		t.mesh.onHere(t.room, 'z1', false, t.actions);
		t.mesh.shuffle(t.room, t.actions);
		expect(t.destroyed).toHaveLength(1);
		expect(t.connects).toEqual([]);
		expect(t.room.webrtcConns.size).toBe(MESH_CAP);
		t.closeAll();
		expect(t.connects).toEqual(['z1']);
		expect(t.room.webrtcConns.size).toBe(MESH_CAP);
	});

	it('does nothing below the aim, or with no passive peer free', () => {
		const below = setup('m', ids('p', MESH_AIM - 1));
		below.mesh.onHere(below.room, 'z1', false, below.actions);
		below.mesh.shuffle(below.room, below.actions);
		const none = setup('m', ids('p', MESH_CAP));
		none.mesh.shuffle(none.room, none.actions);
		expect([...below.destroyed, ...none.destroyed]).toEqual([]);
	});
});

describe('reading the bounded mesh’s signaling messages', () => {
	it('reads here and busy, always addressed', () => {
		expect(readSignalingMessage({ type: 'here', from: 'a', to: 'b', wants: true })).toEqual({
			type: 'here',
			from: 'a',
			to: 'b',
			wants: true
		});
		expect(readSignalingMessage({ type: 'busy', from: 'a', to: 'b', peers: ['c', 'd'] })).toEqual({
			type: 'busy',
			from: 'a',
			to: 'b',
			peers: ['c', 'd']
		});
	});

	it.each([
		{ type: 'here', from: 'a', wants: true },
		{ type: 'here', from: 'a', to: 'b', wants: 'yes' },
		{ type: 'busy', from: 'a', to: 'b' },
		{ type: 'busy', from: 'a', to: 'b', peers: 'c' },
		{ type: 'busy', from: 'a', to: 'b', peers: ['c', 7] },
		{ type: 'busy', from: 'a', to: 'b', peers: [''] },
		{ type: 'busy', from: 'a', to: 'b', peers: ['x'.repeat(129)] },
		{ type: 'busy', from: 'a', to: 'b', peers: ids('p', 9) },
		{ type: 'busy', from: 'a', to: 'b', peers: new Array(1_000_000).fill('p') }
	])('drops %#', (value) => {
		expect(readSignalingMessage(value)).toBeNull();
	});
});
