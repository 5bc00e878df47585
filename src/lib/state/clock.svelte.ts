// "Now", for expiry: a reactive time that ticks once a minute while watched.
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
	#intervalMs: number;
	#subscribe = createSubscriber((update) => {
		const timer = setInterval(update, this.#intervalMs);
		return () => clearInterval(timer);
	});

	constructor(intervalMs = 60_000) {
		this.#intervalMs = intervalMs;
	}

	get now(): number {
		this.#subscribe();
		return Date.now();
	}
}
