// How far a record's time may run ahead of this device's clock and still be
// believed. Times in records are written by peers' clocks: a wrong clock, or
// a forged record, can date something years ahead, and whatever sorts by
// time (the board, the ledger's counts) would let it win forever. Pure.
//
// 24 hours: a phone whose clock is off by a time zone or a day still posts
// and records normally; anything further ahead is flagged and does not get
// to order itself before what happens now (docs/supplies.md, README "Board").

export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** Whether a time written by a peer is further ahead of `now` than any clock is believed to be off. */
export function isAheadOfClock(at: number, now: number): boolean {
	return at > now + CLOCK_SKEW_MS;
}
