import { defineConfig } from 'vitest/config';

// The end-to-end suite drives real Chromium against the real server, so the
// files run one at a time (two cores) with generous timeouts.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
