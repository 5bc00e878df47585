// The y-webrtc provider for one space, made the same way by the app and by
// the relay: the derived room name and password, only the signaling servers
// we are given (never y-webrtc's public defaults), only the ICE servers the
// person configured, our chunked, back-pressured data channels, and our
// guarded receive paths for signaling frames (signaling-guard.ts) and for
// other tabs' messages (tab-channel-guard.ts), and for what members' devices
// send down the mesh (mesh-message.ts), whose refusals it tells whoever
// listens (`onMeshProblem`: the links list, the relay's log). A sync v2
// space links through the bounded mesh (bounded-mesh.ts) instead of to
// everyone it hears.
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { MESH_CAP, SHUFFLE_MS, boundMesh } from './bounded-mesh';
import type { ChunkedChannel } from './chunked-channel';
import { createChunkingWrtc, type WrtcImplementation } from './chunked-wrtc';
import type { SpaceSecrets } from './keys';
import { channelProblem, type LinkProblem } from './link-problem';
import { refuseMeshMessage } from './mesh-message';
import { guardSignaling, tendMesh } from './signaling-guard';
import { guardTabChannel } from './tab-channel-guard';

export interface ProviderOptions {
	signaling: string[];
	iceServers: RTCIceServer[];
	/** Defaults to the browser's WebRTC; the relay and Node tests pass @roamhq/wrtc. */
	wrtc?: WrtcImplementation;
	/**
	 * Sync v2 runs over these links: the channels keep its messages for it.
	 * Every session and the relay say so; only tests of y-webrtc's own
	 * messages on a link leave it out.
	 */
	signed?: boolean;
	/**
	 * Link through the bounded mesh (bounded-mesh.ts); `signed` by default.
	 * The relay says no: it links to every device that finds it.
	 */
	boundedMesh?: boolean;
	/**
	 * Presence goes as sync v2's PRESENCE (v2/presence.ts): the channels drop
	 * y-webrtc's own presence messages both ways. `boundedMesh` by default.
	 */
	signedPresence?: boolean;
}

/** Something a mesh link refused or could not carry. */
export interface MeshProblem {
	/** y-webrtc's id for the device at the other end; null when its link is already gone. */
	linkId: string | null;
	problem: LinkProblem;
	/** The link was closed for it (y-webrtc links again, and the two sync afresh). */
	closedLink: boolean;
}

/** How often a v2 device below its aim looks for more links. */
const MESH_FILL_MS = 3_000;

type MeshProblemListener = (problem: MeshProblem) => void;
const problemListeners = new WeakMap<WebrtcProvider, Set<MeshProblemListener>>();

/** Hear of every mesh problem of `provider`'s space; returns how to stop. */
export function onMeshProblem(provider: WebrtcProvider, listener: MeshProblemListener): () => void {
	let listeners = problemListeners.get(provider);
	if (!listeners) problemListeners.set(provider, (listeners = new Set()));
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** The link whose channel this is: simple-peer keeps the channel it made or was given as `_channel`. */
function linkOf(provider: WebrtcProvider, channel: ChunkedChannel): string | null {
	for (const [peerId, conn] of provider.room?.webrtcConns ?? []) {
		if ((conn.peer as { _channel?: unknown })._channel === channel) return peerId;
	}
	return null;
}

export function createSpaceProvider(
	secrets: SpaceSecrets,
	doc: Y.Doc,
	options: ProviderOptions
): WebrtcProvider {
	const baseWrtc = options.wrtc ?? {
		RTCPeerConnection: globalThis.RTCPeerConnection,
		RTCSessionDescription: globalThis.RTCSessionDescription,
		RTCIceCandidate: globalThis.RTCIceCandidate
	};
	const provider = new WebrtcProvider(secrets.roomName, doc, {
		signaling: [...new Set(options.signaling)],
		password: secrets.password,
		peerOpts: {
			config: { iceServers: options.iceServers },
			wrtc: createChunkingWrtc(baseWrtc, {
				divertsV2: options.signed ?? false,
				dropsPresence: options.signedPresence ?? options.boundedMesh ?? options.signed ?? false,
				dropsYjsSync: options.signed ?? false,
				screen: refuseMeshMessage,
				onProtocolError: (message, dropsLink, channel) => {
					const problem: MeshProblem = {
						linkId: linkOf(provider, channel),
						problem: channelProblem(message, dropsLink),
						closedLink: dropsLink
					};
					for (const listener of problemListeners.get(provider) ?? []) listener(problem);
				}
			})
		}
	});
	if (options.boundedMesh ?? options.signed) {
		boundMesh(provider);
		// y-webrtc announces again after a link closes only while under maxConns.
		provider.maxConns = MESH_CAP;
		const filling = setInterval(() => tendMesh(provider, 'fill'), MESH_FILL_MS);
		const shuffling = setInterval(() => tendMesh(provider, 'shuffle'), SHUFFLE_MS);
		const destroy = provider.destroy.bind(provider);
		provider.destroy = () => {
			clearInterval(filling);
			clearInterval(shuffling);
			destroy();
		};
	}
	// Signaling sockets are made in the constructor and again on every
	// connect() after a disconnect(): guard each before it can receive.
	guardSignaling(provider);
	guardTabChannel(provider);
	const connect = provider.connect.bind(provider);
	provider.connect = () => {
		connect();
		guardSignaling(provider);
	};
	return provider;
}
