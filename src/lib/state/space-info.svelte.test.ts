import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MemberId } from '../domain/ids';
import { initSpace, membersMap, metaMap, renameSpace } from '../doc/space-doc';
import { follow } from './follow.test-helper.svelte';
import { SpaceInfo } from './space-info.svelte';

const ana = 'member-ana-0001' as MemberId;

describe('SpaceInfo', () => {
	it('follows the name and members as they arrive, and tells who asked about a rename', () => {
		const here = new Y.Doc();
		const there = new Y.Doc();
		const names: string[] = [];
		const info = new SpaceInfo(here, (name) => names.push(name));
		const { seen, stop } = follow(() => `${info.meta?.name ?? '-'}|${info.members.size}`);

		initSpace(there, 'Eastside flood response', 1);
		new SpaceInfo(there).announce(ana, 'Ana');
		Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
		flushSync();
		expect(seen.at(-1)).toBe('Eastside flood response|1');
		expect(info.memberName(ana)).toBe('Ana');
		expect(info.memberName('member-nobody-01')).toBe('someone');

		renameSpace(there, 'Eastside relief');
		Y.applyUpdate(here, Y.encodeStateAsUpdate(there));
		flushSync();
		expect(seen.at(-1)).toBe('Eastside relief|1');
		expect(names.at(-1)).toBe('Eastside relief');
		stop();
	});

	it('keeps the name when another field is bad, and lists member records it cannot read', () => {
		const doc = new Y.Doc();
		const names: string[] = [];
		const info = new SpaceInfo(doc, (name) => names.push(name));
		initSpace(doc, 'Eastside', 1);
		metaMap(doc).set('createdAt', -5);
		expect(info.meta?.name).toBe('Eastside');
		expect(info.meta?.unreadable).toEqual(['createdAt']);
		expect(names.at(-1)).toBe('Eastside');

		const { seen, stop } = follow(() => info.unreadableMembers.join(','));
		info.announce(ana, 'Ana');
		membersMap(doc).set('member-bad-0001', { name: 42 });
		flushSync();
		expect(seen.at(-1)).toBe('member-bad-0001');
		expect([...info.members.keys()]).toEqual([ana]);
		stop();
	});
});
