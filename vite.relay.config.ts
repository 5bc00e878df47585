import { defineConfig } from 'vite';

// The relay peer runs in Node and shares the app's sync code (TypeScript in
// src/lib/sync), so it is built once into build-relay/ with its npm
// dependencies left as imports.
export default defineConfig({
	build: {
		ssr: 'relay/main.ts',
		outDir: 'build-relay',
		emptyOutDir: true,
		target: 'node20',
		minify: false
	}
});
