// Compiles messages/*/*.json into src/lib/paraglide, the generated module the
// views import. Vite does this itself in dev and build; svelte-check and
// eslint do not run Vite, so `npm run sync` calls this first.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
// The inlang SDK leaves a timer behind that would hold Node open for ~30 s.
process.exit(0);
