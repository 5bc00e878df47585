// A pairing link carries the engine's messages, and deflates the large ones
// as mesh links do: a group without any server has only these links, and a
// join's log deflates several times over.
import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WrtcImplementation } from './chunked-wrtc';
import { PairedLink } from './paired-link';
import type { EngineEvent, Link } from './v2/engine';
import type { LinkedSync } from './v2/mesh-links';

/** Stands in for the engine: keeps the link it is given and what it hears. */
class Recorder implements LinkedSync {
	link: Link | null = null;
	heard: Uint8Array[] = [];
	addLink(link: Link): void {
		this.link = link;
	}
	removeLink(): void {
		this.link = null;
	}
	receive(_id: string, bytes: Uint8Array): void {
		this.heard.push(bytes);
	}
	listeners = new Set<(event: EngineEvent) => void>();
	listen(listener: (event: EngineEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	tell(event: EngineEvent): void {
		for (const listener of this.listeners) listener(event);
	}
}

const connections: RTCPeerConnection[] = [];
/** @roamhq/wrtc, keeping each connection made so its stats can be read. */
const counted = {
	...(wrtc as unknown as WrtcImplementation),
	RTCPeerConnection: class extends (wrtc.RTCPeerConnection as typeof RTCPeerConnection) {
		constructor(config?: RTCConfiguration) {
			super(config);
			connections.push(this);
		}
	}
} as unknown as WrtcImplementation;

async function bytesSent(connection: RTCPeerConnection): Promise<number> {
	let sent = 0;
	(await connection.getStats()).forEach((report: { type: string; bytesSent?: number }) => {
		if (report.type === 'data-channel') sent += report.bytesSent ?? 0;
	});
	return sent;
}

const links: PairedLink[] = [];
afterEach(() => {
	for (const link of links.splice(0)) link.destroy();
	connections.length = 0;
});

describe('a pairing link', () => {
	it('carries engine messages both ways, the large ones deflated', async () => {
		const engines = [new Recorder(), new Recorder()] as const;
		const [ana, ben] = engines.map(
			(signed, i) =>
				new PairedLink({
					initiator: i === 0,
					iceServers: [],
					wrtc: counted,
					onChange: () => {},
					signed
				})
		) as [PairedLink, PairedLink];
		links.push(ana, ben);
		ben.accept(await ana.code());
		ana.accept(await ben.code());
		await vi.waitFor(() => expect(engines.every((engine) => engine.link)).toBe(true), {
			timeout: 20_000
		});
		// Ben's first message comes after his offer to inflate: Ana may deflate from then on.
		engines[1].link!.send(Uint8Array.of(1, 2, 3));
		await vi.waitFor(() => expect(engines[0].heard).toHaveLength(1), { timeout: 10_000 });
		expect(ana.lastSyncAt).not.toBeNull();

		const before = await bytesSent(connections[0]!);
		// A log range's worth of posts: they deflate several times over (not past 32×,
		// which is sent as it is).
		const posts = Array.from({ length: 5_000 }, (_, i) => ({
			id: `post-${(i * 7919).toString(36)}`,
			title: `Tarps ${(i * 104_729) % 997}`,
			status: i % 3 ? 'open' : 'claimed'
		}));
		const large = new TextEncoder().encode(JSON.stringify(posts));
		engines[0].link!.send(large);
		await vi.waitFor(() => expect(engines[1].heard).toHaveLength(1), { timeout: 10_000 });
		expect(engines[1].heard[0]).toEqual(large);
		const sent = (await bytesSent(connections[0]!)) - before;
		expect(sent).toBeGreaterThan(0);
		expect(sent).toBeLessThan(large.length / 3);

		// The engine refused entries another link sent: not this link's problem.
		const refused = (link: string): EngineEvent => ({
			type: 'misbehaved',
			link,
			detail: 'entries of 0123abcd: bad-signature',
			refusedEntries: true
		});
		engines[0].tell(refused('mesh-peer-1'));
		expect(ana.problem).toBeNull();
		// Entries this link brought: the person is told, on this link.
		engines[0].tell(refused(engines[0].link!.id));
		expect(ana.problem).toEqual({ kind: 'refused-entries' });
		// Once the link is gone, it no longer listens.
		ana.destroy();
		expect(engines[0].listeners.size).toBe(0);
	}, 40_000);
});
