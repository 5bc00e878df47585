// What went wrong on a link (mesh or paired), as the person is told it: the
// connection itself (WebRTC's words); a message that could not be read; an
// update that was not whole, refused before any of it was applied (the link
// is closed); a message the other device began and never finished, thrown
// away when this device needed the memory; more unfinished data than this
// device keeps for one link (the link is closed: chunking.ts); or signed log
// entries that did not verify — forged, altered or out of order — none of
// them taken (v2/engine.ts).
import { MESSAGE_EXPIRED } from './chunked-channel';
import type { MeshRefusal } from './mesh-message';

export type LinkProblem =
	| { kind: 'connection'; detail: string }
	| { kind: 'unreadable-message' }
	| { kind: 'broken-update' }
	| { kind: 'message-expired' }
	| { kind: 'over-budget' }
	| { kind: 'refused-entries' };

const REFUSALS: Record<MeshRefusal, LinkProblem> = {
	'broken-update': { kind: 'broken-update' },
	'unreadable-message': { kind: 'unreadable-message' }
};

/** The problem a chunked channel reported (`onProtocolError`). */
export function channelProblem(message: string, dropsLink: boolean): LinkProblem {
	if (message in REFUSALS) return REFUSALS[message as MeshRefusal];
	if (message === MESSAGE_EXPIRED) return { kind: 'message-expired' };
	return dropsLink ? { kind: 'over-budget' } : { kind: 'unreadable-message' };
}
