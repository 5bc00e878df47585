// Which Yjs client ids (writers) of a space come from before signed logs
// (docs/sync-protocol.md, "As built: slice 6"). Yjs draws a random client id
// below 2³²; signed logs derive 53-bit ids, and never write under one that
// falls below (client-id.ts, `signedEpoch`). So the two never share an id:
// content from before signed logs is under legacy ids only, signed content
// never is. Plain numbers, no Yjs: the rules and the log core both ask.
export const LEGACY_CLIENT_LIMIT = 2 ** 32;

export function isLegacyClient(client: number): boolean {
	return client < LEGACY_CLIENT_LIMIT;
}
