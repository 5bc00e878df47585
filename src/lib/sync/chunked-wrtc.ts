// A `wrtc` object for simple-peer (y-webrtc passes `peerOpts` through) whose
// peer connections hand out ChunkedChannels instead of raw data channels.
// This is the one place where large messages become safe: y-webrtc and
// simple-peer stay unmodified.
//
// The peer connection is wrapped in a Proxy rather than subclassed because
// browsers keep `ondatachannel` as a prototype accessor while @roamhq/wrtc
// makes it an own data property; intercepting the assignment works for both.
import { ChunkedChannel, type ChunkedChannelOptions, type RawDataChannel } from './chunked-channel';

export interface WrtcImplementation {
	RTCPeerConnection: new (config?: RTCConfiguration) => RTCPeerConnection;
	RTCSessionDescription: unknown;
	RTCIceCandidate: unknown;
}

type ChannelHandler = (event: { channel: unknown }) => void;

export function createChunkingWrtc(
	base: WrtcImplementation,
	options: ChunkedChannelOptions = {}
): WrtcImplementation {
	const Base = base.RTCPeerConnection;
	const wrap = (channel: unknown) => new ChunkedChannel(channel as RawDataChannel, options);

	function ChunkingPeerConnection(config?: RTCConfiguration): RTCPeerConnection {
		const pc = new Base(config);
		let userHandler: ChannelHandler | null = null;
		return new Proxy(pc, {
			get(target, property) {
				if (property === 'createDataChannel') {
					return (label: string, init?: RTCDataChannelInit) =>
						wrap(target.createDataChannel(label, init));
				}
				if (property === 'ondatachannel') return userHandler;
				const value = Reflect.get(target, property, target);
				return typeof value === 'function' ? value.bind(target) : value;
			},
			set(target, property, value) {
				if (property === 'ondatachannel') {
					userHandler = typeof value === 'function' ? (value as ChannelHandler) : null;
					const handler = userHandler;
					target.ondatachannel = handler
						? (event: RTCDataChannelEvent) => handler({ channel: wrap(event.channel) })
						: null;
					return true;
				}
				return Reflect.set(target, property, value, target);
			}
		});
	}

	return {
		RTCPeerConnection: ChunkingPeerConnection as unknown as WrtcImplementation['RTCPeerConnection'],
		RTCSessionDescription: base.RTCSessionDescription,
		RTCIceCandidate: base.RTCIceCandidate
	};
}
