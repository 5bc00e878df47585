import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './i18n.config.js';

export default defineConfig({
	plugins: [
		// Under vitest the messages are already compiled (`npm run test:unit` syncs
		// first), and the compiler's SDK would hold the run open for half a minute.
		process.env.VITEST ? [] : paraglideVitePlugin(paraglideOptions),
		sveltekit()
	],
	test: {
		environment: 'node',
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: [
						'src/**/*.test.ts',
						'tests/corpus/*.test.ts',
						'server/**/*.test.js',
						'relay/**/*.test.ts',
						'messages/*.test.ts'
					],
					exclude: ['src/**/*.svelte.test.ts']
				}
			},
			{
				// State models use runes: their tests need Svelte's client build,
				// where effects run (Node would get the server build, where they never do).
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'state',
					include: ['src/**/*.svelte.test.ts'],
					environment: './tests/support/client-environment.ts'
				}
			}
		]
	}
});
