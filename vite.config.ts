import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.js', 'relay/**/*.test.ts'],
		environment: 'node'
	}
});
