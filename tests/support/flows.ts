// What a volunteer does, as steps for the end-to-end suite. Selectors are
// the ones a person reads: labels, roles and button text.
import type { Page } from 'playwright-core';

export async function pickName(page: Page, name: string): Promise<void> {
	await page.getByLabel('Your name in spaces').fill(name);
	await page.getByRole('button', { name: /Continue|Join space/ }).click();
}

export async function createSpace(page: Page, name: string): Promise<void> {
	await page.getByLabel('New space').fill(name);
	await page.getByRole('button', { name: 'Create space' }).click();
	await page.getByTestId('space-name').filter({ hasText: name }).waitFor();
}

export async function inviteLink(page: Page): Promise<string> {
	await page.getByRole('button', { name: 'Invite' }).click();
	return page.getByTestId('invite-link').inputValue();
}

/** Open an invite on a device that has never used the app, and join. */
export async function joinByInvite(page: Page, link: string, name: string): Promise<void> {
	await page.goto(link);
	await pickName(page, name);
	await page.getByTestId('sync-indicator').waitFor();
}

export interface PostInput {
	kind: 'need' | 'offer';
	title: string;
	details?: string;
	category?: string;
	quantity?: string;
	unit?: string;
	urgency?: 'low' | 'normal' | 'high' | 'critical';
	locationText?: string;
}

export async function post(page: Page, input: PostInput): Promise<void> {
	await page
		.getByRole('button', { name: input.kind === 'need' ? 'Post a need' : 'Post an offer' })
		.click();
	const form = page.locator('form.post-form');
	await form.getByLabel('Title').fill(input.title);
	if (input.details) await form.getByLabel('Details').fill(input.details);
	if (input.category) await form.getByLabel('Category').fill(input.category);
	if (input.quantity) await form.getByLabel('Quantity').fill(input.quantity);
	if (input.unit) await form.getByLabel('Unit').fill(input.unit);
	if (input.urgency) await form.getByLabel('Urgency').selectOption(input.urgency);
	if (input.locationText) await form.getByLabel('Where').fill(input.locationText);
	await form.getByRole('button', { name: 'Post' }).click();
	await form.waitFor({ state: 'detached' });
}

export function postCard(page: Page, title: string) {
	return page.getByTestId('post').filter({ has: page.getByRole('heading', { name: title }) });
}

export async function waitForPeers(page: Page, atLeast = 1, timeout = 20_000): Promise<void> {
	await page.waitForFunction(
		(n) =>
			Number(document.querySelector('[data-testid="peer-count"]')?.getAttribute('data-peers')) >= n,
		atLeast,
		{ timeout }
	);
}

/** Every post record the device holds, as canonical JSON (keys sorted at every level). */
export async function boardSnapshot(page: Page): Promise<string> {
	const records = await page.evaluate(() => {
		const model = (
			globalThis as unknown as { barnraise: { board: { records: Map<string, unknown> } } }
		).barnraise;
		return Object.fromEntries(model.board.records.entries());
	});
	return canonicalJson(records);
}

export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) =>
		item && typeof item === 'object' && !Array.isArray(item)
			? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: item
	);
}

/** Add `count` posts in one transaction through the app's own model (seeding big spaces). */
export async function seedPosts(page: Page, count: number): Promise<void> {
	await page.evaluate((n) => {
		const model = (
			globalThis as unknown as {
				barnraise: {
					session: { doc: { transact: (fn: () => void) => void } };
					createPost: (fields: Record<string, unknown>) => string;
				};
			}
		).barnraise;
		const categories = ['water', 'food', 'shelter', 'medical', 'power'];
		model.session.doc.transact(() => {
			for (let i = 0; i < n; i++) {
				model.createPost({
					kind: i % 3 === 0 ? 'offer' : 'need',
					title: `Seeded post ${i}`,
					details: `Details for seeded post number ${i}, with a little text like a real post has.`,
					category: categories[i % categories.length],
					quantity: i % 50,
					unit: 'boxes',
					urgency: ['low', 'normal', 'high', 'critical'][i % 4],
					locationText: `Block ${i % 40}`,
					contact: '',
					expiresAt: null
				});
			}
		});
	}, count);
}

export async function boardTotal(page: Page): Promise<number> {
	return Number(await page.getByTestId('board-count').getAttribute('data-total'));
}
