// The y-webrtc provider for one space, made the same way by the app and by
// the relay: the derived room name and password, only the signaling servers
// we are given (never y-webrtc's public defaults), only the ICE servers the
// person configured, our chunked, back-pressured data channels, and our
// guarded receive paths for signaling frames (signaling-guard.ts) and for
// other tabs' messages (tab-channel-guard.ts).
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { createChunkingWrtc, type WrtcImplementation } from './chunked-wrtc';
import type { SpaceSecrets } from './keys';
import { guardSignaling } from './signaling-guard';
import { guardTabChannel } from './tab-channel-guard';

export interface ProviderOptions {
	signaling: string[];
	iceServers: RTCIceServer[];
	/** Defaults to the browser's WebRTC; the relay and Node tests pass @roamhq/wrtc. */
	wrtc?: WrtcImplementation;
	/** Sync v2 runs over these links: the channels keep its messages for it. */
	signed?: boolean;
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
			wrtc: createChunkingWrtc(baseWrtc, { divertsV2: options.signed ?? false })
		}
	});
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
