// What to tell a person when something brought from outside is refused — a
// bundle file, an invite, a pairing code, an address typed in Settings — in
// the interface's language. The layers below name the problem; this says it.
// Called from templates (and getters they read), so the words follow a change
// of language.
import { m } from '$lib/paraglide/messages';
import { MAX_BUNDLE_MIB, type BundleProblem } from '../sync/bundle';
import type { InviteProblem } from '../sync/invite';
import type { StateCodeProblem } from '../sync/space-bundle';
import { MAX_CODE_AGE_MS } from '../sync/pairing-code';
import { formatNumber } from './format';
import type { LinkProblem, PairingRefusal } from './pairings.svelte';
import type { SettingsProblem } from '../sync/transport-settings';
import type { RefusalKind } from '../sync/link-log';

/** Why a bundle step failed: a problem with the file or code, or something unforeseen. */
export type BundleFailure =
	| { kind: BundleProblem; spaceName?: string }
	| { kind: StateCodeProblem }
	/** The browser could not read the chosen file (moved or deleted since). */
	| { kind: 'unreadable' }
	| { kind: 'unexpected'; detail: string };

export function bundleFailureText(failure: BundleFailure): string {
	switch (failure.kind) {
		case 'too-large':
			return m.links_bundle_too_large({ max: MAX_BUNDLE_MIB });
		case 'not-a-bundle':
			return m.links_bundle_not_a_bundle();
		case 'truncated':
			return m.links_bundle_truncated();
		case 'altered':
			return m.links_bundle_altered();
		case 'damaged':
			return m.links_bundle_damaged();
		case 'newer-version':
			return m.links_bundle_newer_version();
		case 'other-space':
			return failure.spaceName
				? m.links_bundle_other_space({ name: failure.spaceName })
				: m.links_bundle_other_space_unnamed();
		case 'unpacks-too-large':
			return m.links_bundle_unpacks_too_large();
		case 'other-sync':
			return m.links_bundle_other_sync();
		case 'not-a-state-code':
			return m.links_bundle_not_a_state_code();
		case 'state-code-damaged':
			return m.links_bundle_state_code_damaged();
		case 'state-code-other-sync':
			return m.links_bundle_state_code_other_sync();
		case 'unreadable':
			return m.bundle_unreadable();
		case 'unexpected':
			return m.links_something_went_wrong({ error: failure.detail });
	}
}

export function inviteProblemText(problem: InviteProblem): string {
	switch (problem) {
		case 'empty':
			return m.links_invite_empty();
		case 'no-key':
			return m.links_invite_no_key();
		case 'damaged-key':
			return m.links_invite_damaged_key();
	}
}

export function settingsProblemText(problem: SettingsProblem): string {
	switch (problem.kind) {
		case 'bad-signaling':
			return m.links_settings_bad_signaling({ line: problem.line });
		case 'bad-ice':
			return m.links_settings_bad_ice({ line: problem.line });
		case 'turn-needs-login':
			return m.links_settings_turn_login({ url: problem.url });
		case 'bad-tile-url':
			return m.links_settings_bad_tile_url();
	}
}

/** Why a pairing code was not used (`minutes`: how old, or how far ahead, its time was). */
export function pairingProblemText({ problem, minutes = 0 }: Omit<PairingRefusal, 'ok'>): string {
	switch (problem) {
		case 'not-a-code':
			return m.links_pairing_not_a_code();
		case 'other-space':
			return m.links_pairing_other_space();
		case 'cut-short':
			return m.links_pairing_cut_short();
		case 'not-from-member':
			return m.links_pairing_not_from_member();
		case 'damaged':
			return m.links_pairing_damaged();
		case 'expected-answer':
			return m.links_pairing_expected_answer();
		case 'gone':
			return m.links_pairing_gone();
		case 'already-answered':
			return m.links_pairing_already_answered();
		case 'answers-another-code':
			return m.links_pairing_answers_another_code();
		case 'stale-answer':
			return m.links_pairing_stale_answer();
		case 'too-old':
			return m.links_pairing_too_old({
				hours: formatNumber(Math.round(minutes / 60)),
				max: formatNumber(MAX_CODE_AGE_MS / 60_000)
			});
		case 'clock-ahead':
			return m.links_pairing_clock_ahead({ hours: formatNumber(Math.round(minutes / 60)) });
		case 'own-code':
			return m.links_pairing_own_code();
		case 'answer-not-offer':
			return m.links_pairing_answer_not_offer();
	}
}

/** What went wrong on a paired link, after it was made. */
export function linkProblemText(problem: LinkProblem): string {
	switch (problem.kind) {
		case 'connection':
			return m.links_pairing_link_broke({ error: problem.detail });
		case 'unreadable-message':
			return m.links_pairing_unreadable_message();
		case 'broken-update':
			return m.links_pairing_broken_update();
		case 'message-expired':
			return m.links_pairing_message_expired();
		case 'over-budget':
			return m.links_pairing_over_budget();
		case 'refused-entries':
			return m.links_pairing_refused_entries();
	}
}

/** What a mesh link refused from the device at the other end (shown on that device's row). */
export function refusalText(kind: RefusalKind): string {
	switch (kind) {
		case 'unreadable-message':
			return m.links_refused_unreadable();
		case 'broken-update':
			return m.links_refused_broken_update();
		case 'message-expired':
			return m.links_refused_expired();
		case 'over-budget':
			return m.links_refused_over_budget();
		case 'refused-entries':
			return m.links_refused_entries();
	}
}
