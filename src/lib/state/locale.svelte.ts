// The interface language: which locale this page shows, and the person's
// choice of it, kept on this device (localStorage, so wiping forgets it).
//
// Paraglide's message functions ask `getLocale()` on every call; here that
// question reads a rune, so every message in a template re-renders when the
// locale changes, with no reload. `<html lang>` follows it.
import {
	baseLocale,
	extractLocaleFromNavigator,
	getLocale,
	isLocale,
	locales,
	localStorageKey,
	overwriteGetLocale,
	setLocale,
	strategy,
	type Locale
} from '$lib/paraglide/runtime';

import { m } from '$lib/paraglide/messages';

export { locales, type Locale };

/**
 * Each language by its own name (`language_name` in its messages file), as its
 * speakers look for it in a picker: a new language needs no code here.
 */
export function localeChoices(): { code: Locale; name: string }[] {
	return locales.map((code) => ({ code, name: m.language_name({}, { locale: code }) }));
}

/**
 * The locale to start with, by the configured strategy (see i18n.config.js).
 * Paraglide's own first `getLocale()` would also store its guess from the
 * browser as if the person had chosen it; then the app would stop following
 * the browser. Only a choice made in Settings is stored.
 */
function startingLocale(): Locale {
	if (typeof window === 'undefined') return getLocale();
	for (const source of strategy) {
		if (source === 'localStorage') {
			const stored = readStored();
			if (stored) return stored;
		} else if (source === 'preferredLanguage') {
			const preferred = extractLocaleFromNavigator();
			if (preferred) return preferred;
		} else if (source === 'baseLocale') {
			return baseLocale;
		}
	}
	return baseLocale;
}

function readStored(): Locale | undefined {
	try {
		const stored = localStorage.getItem(localStorageKey);
		return isLocale(stored) ? stored : undefined;
	} catch {
		return undefined;
	}
}

function showLang(locale: Locale) {
	if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

class LocaleChoice {
	#current = $state<Locale>(baseLocale);

	constructor() {
		this.#current = startingLocale();
		overwriteGetLocale(() => this.#current);
		showLang(this.#current);
	}

	/** The locale the interface is shown in. */
	get current(): Locale {
		return this.#current;
	}

	/** Show the interface in `locale` from now on, on this device. */
	set(locale: Locale) {
		// Stores it (the localStorage strategy); no reload: the messages follow the rune.
		setLocale(locale, { reload: false });
		this.#current = locale;
		showLang(locale);
	}
}

export const locale = new LocaleChoice();
