import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
		}
	},
	{
		// State classes hold plain Maps read from Yjs and announce changes through
		// createSubscriber themselves; SvelteMap would track every entry twice.
		files: ['src/lib/state/**'],
		rules: { 'svelte/prefer-svelte-reactivity': 'off' }
	},
	{
		// Supply links carry a query (?site=…) and are built with resolve() in
		// small helpers that the rule cannot follow.
		files: ['src/lib/components/supplies/**', 'src/routes/s/*/supplies/**'],
		rules: { 'svelte/no-navigation-without-resolve': ['error', { ignoreLinks: true }] }
	},
	{
		ignores: [
			'build/',
			'build-relay/',
			'.svelte-kit/',
			'node_modules/',
			'bench/results/',
			'relay-data/'
		]
	}
);
