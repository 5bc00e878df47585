import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Forbid `patterns` (gitignore style) in imports from `files`, saying why. */
function layer(files, why, patterns) {
	const restriction = ['error', { patterns: [{ group: patterns, message: `Layering: ${why}.` }] }];
	return [
		{
			files: Array.isArray(files) ? files : [files],
			rules: {
				'no-restricted-imports': 'off',
				'@typescript-eslint/no-restricted-imports': restriction
			}
		}
	];
}

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
	// The layers (see README, "Code layout"): each may use the ones below it,
	// never the ones above. Type-only imports count too, so a view's types come
	// from state, which re-exports what views need.
	...layer('src/lib/domain/**', 'domain is plain TypeScript', [
		'yjs',
		'y-*',
		'svelte',
		'svelte/*',
		'**/doc/*',
		'**/sync/*',
		'**/device/*',
		'**/state/*',
		'**/map/*',
		'**/components/*'
	]),
	...layer('src/lib/doc/**', 'doc knows the Y.Doc, not transports or views', [
		'svelte',
		'svelte/*',
		'**/sync/*',
		'**/device/*',
		'**/state/*',
		'**/components/*'
	]),
	...layer('src/lib/device/**', 'device persistence sits below sync and state', [
		'svelte',
		'svelte/*',
		'yjs',
		'**/doc/*',
		'**/sync/*',
		'**/state/*',
		'**/components/*'
	]),
	...layer('src/lib/sync/**', 'sync has no UI', [
		'svelte',
		'svelte/*',
		'**/state/*',
		'**/components/*'
	]),
	...layer('src/lib/map/**', 'map helpers are below state', [
		'yjs',
		'**/doc/*',
		'**/sync/*',
		'**/state/*',
		'**/components/*'
	]),
	...layer('src/lib/state/**', 'state does not know views', ['**/components/*', '**/routes/*']),
	...layer(['src/lib/components/**', 'src/routes/**'], 'views go through state', [
		'yjs',
		'y-*',
		'$lib/doc/*',
		'$lib/sync/*',
		'$lib/device/*',
		'!$lib/device/geolocation',
		'**/doc/*',
		'**/sync/*'
	]),
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
