// The app's TypeScript modules in Node, loaded through Vite as the tests load
// them: for the benches that need no browser (bench:logs, bench:engine).
import { createServer } from 'vite';

/** A Vite server in middleware mode; `ssrLoadModule` loads a module, `close` ends it. */
export function appModules() {
	return createServer({
		configFile: false,
		root: new URL('..', import.meta.url).pathname,
		logLevel: 'error',
		appType: 'custom',
		server: { middlewareMode: true, hmr: false, ws: false },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
}
