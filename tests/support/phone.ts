// Phone-sized devices and the check that nothing is wider than the screen.
// With isMobile, Chromium widens the layout viewport to fit content that
// overflows, so overflow is measured against the width we set, not against
// innerWidth.
import type { BrowserContextOptions, Page } from 'playwright-core';

export const PHONE_WIDTH = 360;
export const PHONE_HEIGHT = 740;

export const PHONE: BrowserContextOptions = {
	viewport: { width: PHONE_WIDTH, height: PHONE_HEIGHT },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true
};

/**
 * What sticks out past the phone's width: the page's own scroll width when it
 * is wider, and the visible elements whose right edge passes the screen
 * (as "tag.class#testid → right edge"). Empty when everything fits.
 */
export async function overflowing(page: Page, width = PHONE_WIDTH): Promise<string[]> {
	return page.evaluate((width) => {
		const found: string[] = [];
		const root = document.documentElement;
		if (root.scrollWidth > width + 1) found.push(`page is ${root.scrollWidth}px wide`);
		for (const element of document.body.querySelectorAll('*')) {
			const box = element.getBoundingClientRect();
			if (box.width === 0 || box.height === 0) continue;
			if (box.right <= width + 1) continue;
			// Inside something that scrolls sideways on purpose (a wide table): fine.
			let scrolls = false;
			for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
				const overflowX = getComputedStyle(up).overflowX;
				if (
					(overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') &&
					up.getBoundingClientRect().right <= width + 1
				) {
					scrolls = true;
					break;
				}
			}
			if (scrolls) continue;
			const testId = element.getAttribute('data-testid');
			const name = `${element.tagName.toLowerCase()}${element.classList.length ? '.' + [...element.classList].filter((c) => !c.startsWith('svelte-')).join('.') : ''}${testId ? `[${testId}]` : ''}`;
			found.push(`${name} → ${Math.round(box.right)}`);
		}
		return found.slice(0, 12);
	}, width);
}
