/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The offline app shell. Browsers allow service workers only on secure
// origins (localhost, HTTPS); there, once the app has been opened, it opens
// again with no network at all. It caches the app's own files only — never
// space data, which lives in IndexedDB — and a new version waits until the
// person presses "Update" (it is never swapped in under someone's edit).
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `barnraise-shell-${version}`;
/** The SPA fallback page: every route renders from it. */
const SHELL = '/';
const PRECACHE = [...new Set([...build, ...files, SHELL])];

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key !== CACHE && key.startsWith('barnraise-shell-')) await caches.delete(key);
			}
			// The first install takes the open page at once, so it works offline
			// without a second visit. Updates wait for skip-waiting below.
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if (event.data?.type === 'skip-waiting') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin || url.pathname === '/signal') return;

	if (request.mode === 'navigate') {
		// Cache first: the version the person is running stays the one they get.
		event.respondWith(
			caches.match(SHELL, { cacheName: CACHE }).then((cached) => cached ?? fetch(request))
		);
		return;
	}
	if (PRECACHE.includes(url.pathname)) {
		event.respondWith(
			caches.match(url.pathname, { cacheName: CACHE }).then((cached) => cached ?? fetch(request))
		);
	}
});
