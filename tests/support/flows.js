// What a volunteer does, as steps for the end-to-end suite and benchmarks.
// Selectors are the ones a person reads: labels, roles and button text.
// Bulk seeding and snapshots go through the app's debug handle
// (`globalThis.barnraise`, the open space's model).

/** @typedef {import('playwright-core').Page} Page */

/** @param {Page} page @param {string} name */
export async function pickName(page, name) {
	const field = page.getByLabel('Your name in spaces');
	await field.fill(name);
	await page.getByRole('button', { name: /Continue|Join space/ }).click();
	// Gone once the name is saved: a page opened sooner may find no name yet
	// (a join bench once clicked "Join space" on an empty name form and waited).
	await field.waitFor({ state: 'detached' });
}

/** @param {Page} page @param {string} name */
export async function createSpace(page, name) {
	await page.getByLabel('New space').fill(name);
	await page.getByRole('button', { name: 'Create space' }).click();
	await page.getByTestId('space-name').filter({ hasText: name }).waitFor();
}

/** @param {Page} page */
export async function inviteLink(page) {
	await page.getByRole('button', { name: 'Invite' }).click();
	return page.getByTestId('invite-link').inputValue();
}

/**
 * Open an invite on a device that has never used the app, and join.
 * @param {Page} page @param {string} link @param {string} name
 */
export async function joinByInvite(page, link, name) {
	await page.goto(link);
	await pickName(page, name);
	await page.getByTestId('sync-indicator').waitFor();
}

/**
 * @typedef {object} PostInput
 * @property {'need' | 'offer'} kind
 * @property {string} title
 * @property {string} [details]
 * @property {string} [category]
 * @property {string} [quantity]
 * @property {string} [unit]
 * @property {'low' | 'normal' | 'high' | 'critical'} [urgency]
 * @property {string} [locationText]
 */

/** @param {Page} page @param {PostInput} input */
export async function post(page, input) {
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

/** @param {Page} page @param {string} title */
export function postCard(page, title) {
	return page.getByTestId('post').filter({ has: page.getByRole('heading', { name: title }) });
}

/** @param {Page} page */
export async function peerCount(page) {
	return Number(await page.getByTestId('peer-count').getAttribute('data-peers'));
}

/** @param {Page} page */
export async function waitForPeers(page, atLeast = 1, timeout = 20_000) {
	await page.waitForFunction(
		(n) =>
			Number(document.querySelector('[data-testid="peer-count"]')?.getAttribute('data-peers')) >= n,
		atLeast,
		{ timeout }
	);
}

/** @param {Page} page @param {number} count */
export async function waitForPeersExactly(page, count, timeout = 20_000) {
	await page.waitForFunction(
		(n) =>
			Number(document.querySelector('[data-testid="peer-count"]')?.getAttribute('data-peers')) ===
			n,
		count,
		{ timeout }
	);
}

/**
 * Every post record the device holds, as canonical JSON (keys sorted at every level).
 * @param {Page} page
 */
export async function boardSnapshot(page) {
	const records = await page.evaluate(() => {
		const model = /** @type {any} */ (globalThis).barnraise;
		return Object.fromEntries(model.board.records.entries());
	});
	return canonicalJson(records);
}

/** @param {unknown} value */
export function canonicalJson(value) {
	return JSON.stringify(value, (_key, item) =>
		item && typeof item === 'object' && !Array.isArray(item)
			? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: item
	);
}

/**
 * Add `count` posts in one transaction through the app's own model (seeding big spaces).
 * @param {Page} page @param {number} count
 */
export async function seedPosts(page, count) {
	await page.evaluate((n) => {
		const model = /** @type {any} */ (globalThis).barnraise;
		const categories = ['water', 'food', 'shelter', 'medical', 'power'];
		const urgencies = ['low', 'normal', 'high', 'critical'];
		model.session.doc.transact(() => {
			for (let i = 0; i < n; i++) {
				model.board.createPost({
					kind: i % 3 === 0 ? 'offer' : 'need',
					title: `Seeded post ${i}`,
					details: `Details for seeded post number ${i}, with a little text like a real post has.`,
					category: categories[i % categories.length],
					quantity: i % 50,
					unit: 'boxes',
					urgency: urgencies[i % urgencies.length],
					locationText: `Block ${i % 40}`,
					contact: '',
					expiresAt: null
				});
			}
		});
	}, count);
}

/** @param {Page} page */
export async function boardTotal(page) {
	return Number(await page.getByTestId('board-count').getAttribute('data-total'));
}

/** @param {Page} page */
export async function openSupplies(page) {
	await page.getByRole('link', { name: 'Supplies' }).click();
	await page.getByRole('heading', { name: 'Supplies', level: 2 }).waitFor();
}

/** @param {Page} page @param {string} name @param {string} kind */
export async function addSite(page, name, kind = 'distribution') {
	await page.getByLabel('Site name').fill(name);
	// A select's accessible name includes its chosen option, so select by name.
	await page.locator('select[name="siteKind"]').selectOption(kind);
	await page.getByRole('button', { name: 'Add site' }).click();
	await page.getByRole('link', { name }).first().waitFor();
}

/** @param {Page} page @param {string} name @param {string} unit @param {string} category */
export async function addItem(page, name, unit, category = 'water') {
	await page.getByLabel('Item name').fill(name);
	await page.getByLabel('Unit').fill(unit);
	await page.locator('select[name="itemCategory"]').selectOption(category);
	await page.getByRole('button', { name: 'Add item' }).click();
	await page.getByRole('link', { name: `${name} (${unit})` }).waitFor();
}

/**
 * @param {Page} page
 * @param {{ kind: string, site: string, item: string, quantity: string, toSite?: string, households?: string }} movement
 */
export async function recordMovement(page, movement) {
	const form = page.locator('form.movement').first();
	await form.getByRole('radio', { name: movement.kind, exact: true }).check();
	// A select's accessible name includes its chosen option, so select by name.
	await form.locator('select[name="site"]').selectOption({ label: movement.site });
	if (movement.toSite) {
		await form.locator('select[name="toSite"]').selectOption({ label: movement.toSite });
	}
	await form.locator('select[name="item"]').selectOption({ label: movement.item });
	await form.locator('input[name="quantity"]').fill(movement.quantity);
	if (movement.households) await form.getByLabel(/Households/).fill(movement.households);
	await form.getByRole('button', { name: 'Record' }).click();
	await page.getByTestId('last-recorded').waitFor();
}

/**
 * Stock shown in the table, as "site|item" → quantity.
 * @param {Page} page
 */
export async function stockShown(page) {
	return page.evaluate(() =>
		Object.fromEntries(
			[...document.querySelectorAll('[data-testid="stock-row"]')].map((row) => [
				`${row.getAttribute('data-site')}|${row.getAttribute('data-item')}`,
				Number(row.getAttribute('data-quantity'))
			])
		)
	);
}

/** @param {Page} page */
export async function openAssets(page) {
	await page
		.getByRole('navigation', { name: 'Space sections' })
		.getByRole('link', { name: 'Assets' })
		.click();
	await page.getByRole('heading', { name: 'Community assets' }).waitFor();
}

/**
 * @typedef {object} AssetInput
 * @property {'skill' | 'association' | 'institution' | 'place' | 'equipment'} kind
 * @property {string} name
 * @property {string} [tags]
 * @property {string} [availability]
 * @property {string} [point] "lat, lon"
 */

/** Add an asset from the list view. @param {Page} page @param {AssetInput} input */
export async function addAsset(page, input) {
	await page.getByRole('button', { name: 'Add an asset' }).click();
	const form = page.locator('form.asset-form');
	await form.locator('select[name="kind"]').selectOption(input.kind);
	await form.getByLabel('Name').fill(input.name);
	if (input.tags) await form.getByLabel(/^Tags/).fill(input.tags);
	if (input.availability) await form.getByLabel('Availability').fill(input.availability);
	if (input.point) {
		await form.getByLabel('a point on the earth').check();
		await form.getByLabel('Latitude, longitude').fill(input.point);
	}
	await form.getByRole('button', { name: 'Add asset' }).click();
	await form.waitFor({ state: 'detached' });
}

/** The asset's row in the list. @param {Page} page @param {string} name */
export function assetRow(page, name) {
	return page.getByTestId('asset').filter({ has: page.locator('.name', { hasText: name }) });
}
