// simple-peer ships no types; this is the part Barnraise uses (the same
// prebuilt bundle y-webrtc imports, so it is not shipped twice).
declare module 'simple-peer/simplepeer.min.js' {
	interface SimplePeerOptions {
		initiator?: boolean;
		trickle?: boolean;
		config?: RTCConfiguration;
		wrtc?: unknown;
	}
	export interface SimplePeerInstance {
		signal(data: unknown): void;
		send(data: Uint8Array): void;
		destroy(): void;
		connected: boolean;
		on(event: 'signal', listener: (data: { type: string; sdp: string }) => void): this;
		on(event: 'connect' | 'close', listener: () => void): this;
		on(event: 'data', listener: (data: Uint8Array) => void): this;
		on(event: 'error', listener: (error: Error) => void): this;
	}
	const Peer: new (options?: SimplePeerOptions) => SimplePeerInstance;
	export default Peer;
}
