import { describe, expect, it } from 'vitest';
import { newId, parseId } from './ids';

describe('parseId', () => {
	it('takes an id made here', () => {
		const id = newId<'SiteId'>();
		expect(parseId<'SiteId'>(id)).toBe(id);
	});
	it('refuses what no id of ours looks like', () => {
		for (const bad of [null, undefined, '', 'short', 'has space in it', 'x'.repeat(65), '../etc'])
			expect(parseId<'SiteId'>(bad)).toBeNull();
	});
});
