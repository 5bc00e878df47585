import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route falls back to index.html, so the Node
		// server (or any static host) never needs to know our routes.
		adapter: adapter({ fallback: 'index.html' })
	}
};

export default config;
