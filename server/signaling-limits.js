// The small accounting pieces the signaling server uses to stay up under
// load: token buckets for rates and a tally of bytes waiting to be sent.
// Plain data structures with an injectable clock, so tests can drive time.

/** A token bucket: `capacity` tokens at most, refilled at `perSecond`. */
export class TokenBucket {
	/**
	 * @param {number} capacity
	 * @param {number} perSecond
	 * @param {() => number} [now] milliseconds
	 */
	constructor(capacity, perSecond, now = Date.now) {
		this.capacity = capacity;
		this.perSecond = perSecond;
		this.now = now;
		this.tokens = capacity;
		this.updatedAt = now();
	}

	/**
	 * Take `cost` tokens if there are that many; a cost above the capacity never fits.
	 * @param {number} [cost]
	 */
	take(cost = 1) {
		const now = this.now();
		this.tokens = Math.min(
			this.capacity,
			this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond
		);
		this.updatedAt = now;
		if (cost > this.tokens) return false;
		this.tokens -= cost;
		return true;
	}
}

/** How many connections each remote address holds. */
export class AddressCounts {
	/** @type {Map<string, number>} */
	#counts = new Map();

	/** @param {string} address */
	count(address) {
		return this.#counts.get(address) ?? 0;
	}

	/** @param {string} address */
	add(address) {
		this.#counts.set(address, this.count(address) + 1);
	}

	/** @param {string} address */
	remove(address) {
		const left = this.count(address) - 1;
		if (left > 0) this.#counts.set(address, left);
		else this.#counts.delete(address);
	}
}
