// Building signed chains for tests: a device key, entries 1..n with small
// bodies, and the head over the last one.
import { EntryKind, NO_PREVIOUS, encodeEntry, hashEntry, type EntryHash } from './entry';
import { generateDeviceKey, signHead, type DeviceKey, type SignedHead } from './head';

export interface Chain {
	key: DeviceKey;
	entries: Uint8Array[];
	hashes: EntryHash[];
	/** heads[i] is the signed head at seq i + 1. */
	heads: SignedHead[];
}

/** Extend `chain` (or start one) with `count` entries whose bodies say `label`. */
export function buildChain(count: number, label = 'a', chain?: Chain): Chain {
	const result: Chain = chain
		? {
				key: chain.key,
				entries: [...chain.entries],
				hashes: [...chain.hashes],
				heads: [...chain.heads]
			}
		: { key: generateDeviceKey(), entries: [], hashes: [], heads: [] };
	for (let i = 0; i < count; i++) {
		const seq = result.entries.length + 1;
		const encoded = encodeEntry({
			seq,
			prev: result.hashes.at(-1) ?? NO_PREVIOUS,
			kind: EntryKind.edit,
			epoch: 1,
			time: 1_700_000_000_000 + seq,
			body: new TextEncoder().encode(`${label}${seq}`)
		});
		const hash = hashEntry(result.key.author, encoded);
		result.entries.push(encoded);
		result.hashes.push(hash);
		result.heads.push(signHead(result.key, seq, hash));
	}
	return result;
}

/** Entries from..to (1-based, inclusive) with the signed head at `to`. */
export function slice(chain: Chain, from: number, to: number) {
	return {
		author: chain.key.author,
		entries: chain.entries.slice(from - 1, to),
		head: chain.heads[to - 1]!,
		known: from > 1 ? chain.hashes[from - 2] : undefined
	};
}
