// Paraglide's compiler options, in one place: the Vite plugin (dev, build,
// vitest) and `npm run sync` (before svelte-check and eslint) both read them.
// The inlang project loads its message-format plugin from node_modules (see
// project.inlang/settings.json), so compiling never touches the network.

/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	// The choice kept on this device first, then the browser's languages, then English.
	strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
	// Named like the app's other keys on the device (wiping clears them all).
	localStorageKey: 'barnraise:locale',
	// Generated code: the repository ignores src/lib/paraglide as a whole.
	emitGitIgnore: false,
	emitPrettierIgnore: false,
	emitReadme: false
};
