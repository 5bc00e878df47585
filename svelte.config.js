import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route falls back to index.html, so the Node
		// server (or any static host) never needs to know our routes.
		// Files are also written gzip- and brotli-compressed; the server sends
		// those to browsers that accept them (a third of the bytes over Wi-Fi).
		adapter: adapter({ fallback: 'index.html', precompress: true }),
		// Registered by the app itself (src/lib/state/app-update.svelte.ts), so
		// that updates wait for the person's word and wiping can skip it.
		serviceWorker: { register: false }
	}
};

export default config;
