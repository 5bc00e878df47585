// The links list under presence v2: PRESENCE arrives on the engine's side of
// the channel, where y-webrtc's peer emits no 'data', so without this a v2
// mesh link's "last synced" would stop at the hello. A state that came by
// PRESENCE counts as heard on the link that brought it, and names it.
import { ObservableV2 } from 'lib0/observable';
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { LinkLog } from './link-log';
import { LinkWatch } from './link-watch';
import type { LinkedSync } from './v2/mesh-links';
import { MeshPresence, encodePresence } from './v2/presence';

const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A provider with one open mesh link, to `peer-ben`, and nothing else of y-webrtc. */
function setUp() {
	const awareness = new Awareness(new Y.Doc());
	const provider = Object.assign(new ObservableV2(), {
		awareness,
		connected: true,
		room: {
			name: `link-watch-test-${Math.random()}`,
			peerId: 'peer-ana',
			bcConns: new Set<string>(),
			webrtcConns: new Map([
				['peer-ben', { remotePeerId: 'peer-ben', connected: true, peer: { on() {}, off() {} } }]
			])
		}
	}) as unknown as WebrtcProvider;
	let now = 1_000;
	const log = new LinkLog({ load: () => [], save: () => {} }, () => now);
	const watch = new LinkWatch(provider, log, () => {}, 3_600_000);
	const engine: LinkedSync = { addLink() {}, removeLink() {}, receive() {} };
	const presence = new MeshPresence(awareness, engine);
	presence.addLink({ id: 'peer-ben', send() {} });
	cleanups.push(() => {
		presence.destroy();
		watch.destroy();
		awareness.destroy();
	});
	return { awareness, presence, log, later: (ms: number) => (now += ms) };
}

const ben = (clock: number) =>
	encodePresence({
		hops: 2,
		states: [
			{
				clientId: 77,
				clock,
				json: '{"member":"member-ben","peer":"peer-ben"}',
				state: { member: 'member-ben', peer: 'peer-ben' }
			}
		]
	});

describe('the links list under presence v2', () => {
	it('names the link and hears it at every renewal that comes by PRESENCE', () => {
		const { presence, log, later } = setUp();
		presence.receive('peer-ben', ben(1));
		expect(log.get('mesh', 'member-ben')).toMatchObject({ known: true, lastSyncAt: 1_000 });
		later(15_000);
		presence.receive('peer-ben', ben(2));
		expect(log.get('mesh', 'member-ben')?.lastSyncAt).toBe(16_000);
	});

	it('does not take a state from another tab as heard on a mesh link', () => {
		const { awareness, log } = setUp();
		// What y-webrtc applies from this browser's BroadcastChannel.
		const other = new Awareness(new Y.Doc());
		cleanups.push(() => other.destroy());
		other.setLocalState({ member: 'member-ben', peer: 'peer-ben' });
		applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'tab');
		expect(log.get('mesh', 'member-ben')).toBeUndefined();
	});
});
