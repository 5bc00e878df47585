// The worker path of prehash.ts (a page on plain http, without WebCrypto),
// with a stand-in for the browser's Worker: Node has WebCrypto, and no Worker.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildChain, slice } from './chain.test-helper';
import { hashEntry, type AuthorId } from './entry';
import type { HashAnswer, HashAsk } from './hash-worker';
import { encodeMessage } from './messages';

/** A big entry (as a join's are), so the range is hashed beside the page. */
function entriesMessage() {
	const chain = buildChain(2, 'x'.repeat(100_000));
	return { chain, bytes: encodeMessage({ type: 'entries', ...slice(chain, 1, 2) }) };
}

/** Stands in for a Worker running hash-worker.ts; `answers` false: it never answers. */
function fakeWorker(answers: boolean) {
	const made: { terminated: boolean; asked: number }[] = [];
	class FakeWorker {
		readonly state = { terminated: false, asked: 0 };
		#onMessage: ((event: { data: HashAnswer }) => void) | null = null;
		constructor() {
			made.push(this.state);
		}
		addEventListener(type: string, listener: (event: { data: HashAnswer }) => void) {
			if (type === 'message') this.#onMessage = listener;
		}
		postMessage({ id, author, entries }: HashAsk) {
			this.state.asked += 1;
			if (!answers) return;
			const hashes = entries.map((encoded) => hashEntry(author as AuthorId, encoded));
			queueMicrotask(() => this.#onMessage?.({ data: { id, hashes } }));
		}
		terminate() {
			this.state.terminated = true;
		}
	}
	return { FakeWorker, made };
}

describe('prehashEntries without WebCrypto', () => {
	beforeEach(() => {
		vi.resetModules();
		vi.stubGlobal('isSecureContext', false);
	});
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.useRealTimers();
	});

	it('leaves a range to the engine where no worker can be made either', async () => {
		vi.stubGlobal('Worker', undefined);
		const { prehashEntries } = await import('./prehash');
		expect(prehashEntries(entriesMessage().bytes)).toBeUndefined();
	});

	it('has a worker hash a range as hashEntry does', async () => {
		const { FakeWorker, made } = fakeWorker(true);
		vi.stubGlobal('Worker', FakeWorker);
		const { prehashEntries } = await import('./prehash');
		const { chain, bytes } = entriesMessage();
		await expect(prehashEntries(bytes)).resolves.toEqual(chain.hashes);
		expect(made).toHaveLength(1);
		expect(made[0]!.asked).toBe(1);
	});

	it('lets a worker that stops answering go, and leaves the hashing to the engine', async () => {
		vi.useFakeTimers();
		const { FakeWorker, made } = fakeWorker(false);
		vi.stubGlobal('Worker', FakeWorker);
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const { prehashEntries, WORKER_ANSWER_MS } = await import('./prehash');
		const { bytes } = entriesMessage();
		const hashing = prehashEntries(bytes);
		expect(hashing).toBeInstanceOf(Promise);
		await vi.advanceTimersByTimeAsync(WORKER_ANSWER_MS);
		// Given up on: the link goes on, and the engine hashes the entries itself.
		await expect(hashing).resolves.toBeUndefined();
		expect(made[0]!.terminated).toBe(true);
		expect(prehashEntries(bytes)).toBeUndefined();
		expect(warn).toHaveBeenCalled();
		warn.mockRestore();
	});
});
