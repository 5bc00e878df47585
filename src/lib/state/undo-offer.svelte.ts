// "Marked done. Undo" for a few seconds after an action that is easy to tap
// by mistake: one offer at a time; a new action replaces the old offer, and
// the offer lapses on its own.
import type { Undoable } from '../doc/space-doc';
import { m } from '$lib/paraglide/messages';

export const UNDO_FOR_MS = 10_000;

export interface UndoView {
	/** What was done, in words ("Marked “Water” done."). */
	text: string;
	/** True for a last word after an undo that could not happen: nothing left to undo. */
	done?: boolean;
}

export class UndoOffer {
	#current = $state<UndoView | null>(null);
	#undoable: Undoable | null = null;
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** The offer on screen now, or null. Reactive. */
	get current(): UndoView | null {
		return this.#current;
	}

	/** Offer to undo what `undoable` tracks, described by `text`, for `ms`. */
	offer(text: string, undoable: Undoable, ms = UNDO_FOR_MS): void {
		this.withdraw();
		this.#undoable = undoable;
		this.#current = { text };
		this.#timer = setTimeout(() => this.withdraw(), ms);
	}

	/** Take the action back; says so when someone else changed it since (theirs stands). */
	undo(): void {
		const undoable = this.#undoable;
		this.withdraw();
		if (undoable && !undoable.undo()) {
			this.#current = { text: m.undo_not_undone(), done: true };
			this.#timer = setTimeout(() => this.withdraw(), UNDO_FOR_MS / 2);
		}
	}

	/** End the offer without undoing. */
	withdraw(): void {
		clearTimeout(this.#timer);
		this.#undoable = null;
		this.#current = null;
	}
}
