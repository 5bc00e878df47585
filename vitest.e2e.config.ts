import { configDefaults, defineConfig } from 'vitest/config';

// The end-to-end suite drives real Chromium against the real server, so the
// files run one at a time (two cores) with generous timeouts.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		// The bad-input corpus is unit tests (no browser); `npm run test:unit` runs it.
		exclude: [...configDefaults.exclude, 'tests/corpus/**'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
