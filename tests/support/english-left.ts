// What a Spanish screen still says in English: visible text, labels,
// placeholders and titles that hold common English words no Spanish sentence
// uses. Catches a string left out of messages/ without listing every message;
// the test data itself must then be written in Spanish.
import type { Page } from 'playwright-core';

/** Words of English that never appear in Spanish text (so not "no", "a", "sin"…). */
export const ENGLISH_WORDS = [
	'the',
	'and',
	'with',
	'your',
	'you',
	'this',
	'that',
	'from',
	'have',
	'has',
	'will',
	'for',
	'are',
	'was',
	'not',
	'add',
	'new',
	'save',
	'cancel',
	'edit',
	'delete',
	'remove',
	'done',
	'open',
	'close',
	'show',
	'hide',
	'all',
	'none',
	'item',
	'items',
	'site',
	'sites',
	'post',
	'posts',
	'need',
	'needs',
	'offer',
	'offers',
	'stock',
	'count',
	'received',
	'distributed',
	'map',
	'asset',
	'assets',
	'link',
	'links',
	'file',
	'pair',
	'invite',
	'copy',
	'copied',
	'waiting',
	'loading',
	'nobody',
	'here',
	'now',
	'ago',
	'today',
	'filter',
	'sort',
	'search',
	'back',
	'next',
	'print',
	'export',
	'import',
	'record',
	'choose',
	'pick',
	'place',
	'where',
	'what',
	'who',
	'when',
	'by',
	'of',
	'to',
	'in',
	'on',
	'or',
	'is',
	'it',
	'be',
	'an',
	'at',
	'synced',
	'saved',
	'device',
	'devices',
	'space',
	'settings',
	'supplies',
	'board',
	'undo',
	'user',
	'password',
	'failed',
	'name',
	'please',
	'withdraw',
	'mark',
	'claim',
	'claimed',
	'expired',
	'expires',
	'unknown',
	'yet',
	'there'
];

/**
 * Snippets of visible text (and accessible labels, placeholders, titles) that
 * contain an English word, except words in `allowed` (brand names, test data,
 * technical names). Empty on a fully translated screen. With `within` (a CSS
 * selector), only inside the elements it matches: the part of a screen a test
 * is about, while other parts are still being translated.
 */
export async function englishLeft(
	page: Page,
	allowed: readonly string[] = [],
	within?: string
): Promise<string[]> {
	return page.evaluate(
		({ words, allowed, within }) => {
			const english = new Set(words.filter((word) => !allowed.includes(word)));
			const allowedText = allowed.map((text) => text.toLowerCase());
			const found = new Set<string>();
			const check = (text: string | null | undefined, where: string) => {
				if (!text) return;
				let rest = text.toLowerCase();
				for (const phrase of allowedText) rest = rest.replaceAll(phrase, ' ');
				const hit = rest.split(/[^\p{L}']+/u).find((word) => english.has(word));
				if (hit) found.add(`${where}: "${text.trim().replace(/\s+/g, ' ').slice(0, 90)}" (${hit})`);
			};
			const visible = (element: Element) => {
				const box = element.getBoundingClientRect();
				const style = getComputedStyle(element);
				return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
			};
			// The page's title is what a tab and a screen reader say first.
			if (!within) check(document.title, 'title');
			const roots = within ? [...document.querySelectorAll(within)] : [document.body];
			for (const root of roots) {
				const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				for (let node = walker.nextNode(); node; node = walker.nextNode()) {
					const parent = node.parentElement;
					if (!parent || !visible(parent)) continue;
					// Text the app marks as English on purpose (a technical detail) is not left over.
					if (parent.closest('script, style, [data-english-ok], [lang="en"]')) continue;
					check(node.textContent, parent.tagName.toLowerCase());
				}
				const labelled = [root, ...root.querySelectorAll('*')].filter((element) =>
					element.matches('[aria-label], [placeholder], [title]')
				);
				for (const element of labelled) {
					if (!visible(element) || element.closest('[data-english-ok]')) continue;
					for (const name of ['aria-label', 'placeholder', 'title'])
						check(element.getAttribute(name), `${element.tagName.toLowerCase()}[${name}]`);
				}
				for (const option of root.querySelectorAll('select option')) {
					if (!visible(option.parentElement!)) continue;
					check(option.textContent, 'option');
				}
			}
			return [...found].slice(0, 30);
		},
		{ words: ENGLISH_WORDS, allowed: [...allowed], within }
	);
}
