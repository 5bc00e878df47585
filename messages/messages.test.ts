// Every language must say everything, with the same parameters: a key missing
// in one file would show its raw name to that language's speakers, and a
// parameter named differently would print "undefined" in the sentence.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const settings = JSON.parse(readFileSync(new URL('../project.inlang/settings.json', dir), 'utf8'));
const locales: string[] = settings.locales;
const baseLocale: string = settings.baseLocale;
const patterns: string[] = settings['plugin.inlang.messageFormat'].pathPattern;
/** One folder per part of the app (app, space, supplies…), each with a file per locale. */
const areas = readdirSync(dir, { withFileTypes: true })
	.filter((entry) => entry.isDirectory())
	.map((entry) => entry.name)
	.sort();

type Message = string | { declarations?: string[]; match?: Record<string, string> }[];

function readArea(area: string, locale: string): Record<string, Message> {
	const messages = JSON.parse(readFileSync(new URL(`${area}/${locale}.json`, dir), 'utf8'));
	delete messages.$schema;
	return messages;
}

/** All of one locale's messages, from every area. */
function read(locale: string): Record<string, Message> {
	return Object.assign({}, ...areas.map((area) => readArea(area, locale)));
}

/** The `{names}` a message takes: its inputs, whether it is plain text or has variants. */
function parameters(message: Message): string[] {
	const names = new Set<string>();
	const texts =
		typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match ?? {}));
	for (const text of texts) for (const [, name] of text.matchAll(/\{(\w+)\}/g)) names.add(name);
	for (const variant of typeof message === 'string' ? [] : message)
		for (const declaration of variant.declarations ?? []) {
			const input = /^input (\w+)$/.exec(declaration);
			if (input) names.add(input[1]);
		}
	// Locals declared from an input (e.g. a plural selector) are not parameters.
	for (const variant of typeof message === 'string' ? [] : message)
		for (const declaration of variant.declarations ?? []) {
			const local = /^local (\w+) =/.exec(declaration);
			if (local) names.delete(local[1]);
		}
	return [...names].sort();
}

describe('message files', () => {
	it('reads every area folder, and only those', () => {
		expect([...patterns].sort()).toEqual(areas.map((area) => `./messages/${area}/{locale}.json`));
	});

	for (const area of areas)
		it(`has one file per locale in ${area}/, and nothing else`, () => {
			const files = readdirSync(new URL(`${area}/`, dir))
				.filter((name) => name.endsWith('.json'))
				.map((name) => name.slice(0, -'.json'.length));
			expect(files.sort()).toEqual([...locales].sort());
		});

	it('names each message in one area only', () => {
		// The compiler merges the areas: a second message of one name would replace the first.
		const seen = new Map<string, string>();
		const twice: string[] = [];
		for (const area of areas)
			for (const key of Object.keys(readArea(area, baseLocale))) {
				if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${area})`);
				seen.set(key, area);
			}
		expect(twice).toEqual([]);
	});

	const base = read(baseLocale);
	for (const locale of locales.filter((l) => l !== baseLocale)) {
		describe(locale, () => {
			const other = read(locale);

			it(`has every key of ${baseLocale} and no other`, () => {
				const missing = Object.keys(base).filter((key) => !(key in other));
				const extra = Object.keys(other).filter((key) => !(key in base));
				expect({ missing, extra }).toEqual({ missing: [], extra: [] });
			});

			it(`takes the same parameters as ${baseLocale} in every message`, () => {
				const differing = Object.keys(base)
					.filter((key) => key in other)
					.filter((key) => parameters(base[key]).join() !== parameters(other[key]).join())
					.map((key) => `${key}: ${parameters(base[key])} ≠ ${parameters(other[key])}`);
				expect(differing).toEqual([]);
			});

			it('has no message left empty', () => {
				const empty = Object.keys(other).filter((key) => other[key].length === 0);
				expect(empty).toEqual([]);
			});
		});
	}
});
