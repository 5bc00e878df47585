// What every link of this device may make it hold in unfinished messages,
// together. Each link's reassembler (chunking.ts) has a share of its own; a
// member with several peer ids (several links, across spaces too) shares this
// one budget instead of multiplying the share. The app makes one for the
// whole device and the relay one per process (`deviceChunkBudget`).
//
// When a chunk would pass the budget, room is made in this order:
// 1. unfinished messages that had no chunk for `idleAfterMs`, the
//    longest-idle first, wherever they are (their links stay up). Nothing
//    expires while there is room: an honest sender whose phone slept
//    mid-message still finishes it.
// 2. then the link that holds the most loses all it holds and is closed —
//    the one that asked for room only when it is that link itself.
// It must never throw.

const MIB = 1024 * 1024;

/** A link's reassembler, as the budget sees it. */
export interface BudgetHolder {
	/** Bytes it holds, as counted against the budget. */
	readonly pendingBytes: number;
	/** When its longest-idle unfinished message last had a chunk; null when it holds none. */
	readonly oldestChunkAt: number | null;
	/** Throw away its longest-idle unfinished message: the device needs the room. */
	evictOldest(): void;
	/** Let go of everything and have its link closed: it holds the most, and the room is needed. */
	drop(): void;
}

export interface BudgetLimits {
	/** Bytes the unfinished messages of every link may hold together. */
	maxBytes: number;
	/** A message with no chunk for this long may be thrown away when room is needed. */
	idleAfterMs: number;
}

/**
 * Two of the largest messages a link may carry (chunking.ts: 128 MiB, the
 * largest bundle; the largest space measured is 11.5 MiB), under what a
 * phone's tab can hold. A minute without a chunk is far longer than a
 * working link pauses mid-message.
 */
export const DEVICE_LIMITS: BudgetLimits = {
	maxBytes: 256 * MIB,
	idleAfterMs: 60_000
};

export class ChunkBudget {
	readonly limits: BudgetLimits;
	readonly now: () => number;
	#held = 0;
	/** Only holders that hold something: a closed link leaves when it lets go. */
	#holders = new Set<BudgetHolder>();

	constructor(limits: Partial<BudgetLimits> = {}, now: () => number = Date.now) {
		this.limits = { ...DEVICE_LIMITS, ...limits };
		this.now = now;
	}

	/** Bytes held now by every link together. */
	get held(): number {
		return this.#held;
	}

	/** `holder` now holds `bytes` more (negative: fewer). */
	change(holder: BudgetHolder, bytes: number): void {
		this.#held += bytes;
		if (holder.pendingBytes > 0) this.#holders.add(holder);
		else this.#holders.delete(holder);
	}

	/**
	 * Make room for `holder` to hold `cost` more bytes. False when `holder`
	 * itself holds the most and must go (it keeps what it holds until it lets go).
	 */
	makeRoom(holder: BudgetHolder, cost: number): boolean {
		const fits = () => this.#held + cost <= this.limits.maxBytes;
		const idleSince = this.now() - this.limits.idleAfterMs;
		while (!fits()) {
			let idlest: BudgetHolder | null = null;
			let idlestAt = Infinity;
			for (const each of this.#holders) {
				const at = each.oldestChunkAt;
				if (at !== null && at < idleSince && at < idlestAt) [idlest, idlestAt] = [each, at];
			}
			if (!idlest) break;
			idlest.evictOldest();
		}
		while (!fits()) {
			let largest = holder;
			let most = holder.pendingBytes + cost;
			for (const each of this.#holders) {
				if (each !== holder && each.pendingBytes > most)
					[largest, most] = [each, each.pendingBytes];
			}
			if (largest === holder) return false;
			largest.drop();
		}
		return true;
	}
}

/** The one budget of this device (the app) or process (the relay). */
export const deviceChunkBudget = new ChunkBudget();
