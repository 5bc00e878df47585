import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deepNestingUpdate, receive } from './hostile.test-helper';
import { withYjsOwnNesting } from './yjs-nesting';

function tree(doc: Y.Doc): void {
	doc.transact(() => {
		const post = new Y.Map<unknown>();
		doc.getMap('posts').set('post', post);
		post.set('title', 'Water');
		const claims = new Y.Map<unknown>();
		post.set('claims', claims);
		claims.set('ana', { at: 1 });
		const list = new Y.Array<unknown>();
		post.set('list', list);
		const inner = new Y.Map<unknown>();
		list.push([inner, 'x']);
		inner.set('deep', new Y.Text('typed'));
		let level = new Y.Map<unknown>();
		post.set('chain', level);
		for (let depth = 0; depth < 50; depth++) level = level.set('x', new Y.Map<unknown>());
	});
}

describe('iterative delete and garbage collection of nested types', () => {
	it('deletes a record nested 5,000 deep, here and on a peer, and after a reload', () => {
		const deep = deepNestingUpdate('posts', 'post-deep-00001');
		const here = new Y.Doc();
		receive(here, deep);
		const before = Y.encodeStateVector(here);
		here.getMap('posts').delete('post-deep-00001');
		expect(here.getMap('posts').size).toBe(0);

		const peer = new Y.Doc();
		receive(peer, deep);
		expect(peer.getMap('posts').size).toBe(1);
		receive(peer, Y.encodeStateAsUpdate(here, before));
		expect(peer.getMap('posts').size).toBe(0);

		const reloaded = new Y.Doc();
		receive(reloaded, Y.encodeStateAsUpdate(here));
		expect(reloaded.getMap('posts').size).toBe(0);
	});

	it('survives a deep record losing a concurrent overwrite', () => {
		const here = new Y.Doc();
		here.clientID = 2;
		here.getMap('meta').set('name', 'Eastside');
		// Of two concurrent writes to one key the higher client id wins: the deep one loses.
		expect(() => receive(here, deepNestingUpdate('meta', 'name', 5000, 1))).not.toThrow();
		expect(here.getMap('meta').get('name')).toBe('Eastside');
	});

	it('leaves the same doc as Yjs’s own methods, byte for byte', () => {
		const scenario = (): Uint8Array => {
			const doc = new Y.Doc();
			doc.clientID = 7;
			tree(doc);
			doc.getMap('posts').delete('post');
			tree(doc);
			(doc.getMap('posts').get('post') as Y.Map<unknown>).delete('list');
			const peer = new Y.Doc();
			peer.clientID = 8;
			receive(peer, Y.encodeStateAsUpdate(doc));
			peer.getMap('posts').delete('post');
			receive(doc, Y.encodeStateAsUpdate(peer));
			expect(doc.getMap('posts').size).toBe(0);
			return Y.encodeStateAsUpdate(doc);
		};
		let own: Uint8Array = new Uint8Array();
		withYjsOwnNesting(() => (own = scenario()));
		expect(scenario()).toEqual(own);
	});
});
