// Runs the invite corpus (invites.cases.ts) through the app's own parser.
import { describe, expect, it } from 'vitest';
import { parseInvite } from '../../src/lib/sync/invite';
import { inviteCases } from './invites.cases';

describe('bad invites', () => {
	it.each(inviteCases)('%s', (_label, input, expected) => {
		const result = parseInvite(input);
		if (typeof expected === 'string') {
			expect(result).toEqual({ ok: false, problem: expected });
			return;
		}
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.invite.name).toBe(expected.name);
		expect(result.invite.signaling).toEqual(expected.signaling);
		expect(result.invite.key).toHaveLength(32);
	});
});
