// A Vitest environment for state models: plain Node globals, but modules
// transformed as for the browser, so .svelte.ts files compile to Svelte's
// client output, where $effect runs (the server output never runs effects).
import type { Environment } from 'vitest/environments';

export default {
	name: 'client-node',
	viteEnvironment: 'client',
	setup() {
		return { teardown() {} };
	}
} satisfies Environment;
