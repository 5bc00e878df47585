// Runs the hostile-text corpus (xss.cases.ts) through every place a
// person's text is stored and read back for the screen.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderSVG } from 'uqr';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/lib/domain/csv';
import { makeInviteLink } from '../../src/lib/sync/invite';
import { xssPayloads, xssSinks } from './xss.cases';

describe('hostile text comes back as inert text', () => {
	const pairs = xssPayloads.flatMap(([label, text]) =>
		xssSinks.map(([sink, roundTrip]) => [`${label} in ${sink}`, text, roundTrip] as const)
	);

	it.each(pairs)('%s', (_label, text, roundTrip) => {
		// Nothing differs from what was typed: not run, not stripped, not rewritten.
		expect(roundTrip(text)).toEqual([]);
		expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
	});

	it.each(xssPayloads)('%s in an invite QR code is only squares', (_label, text) => {
		const link = makeInviteLink('https://192.168.1.20:8080', {
			key: new Uint8Array(32).fill(1),
			name: text,
			signaling: []
		});
		const svg = renderSVG(link, { ecc: 'M', border: 2 });
		// The QR code is the one piece of markup shown with {@html}: its elements only.
		const elements = new Set([...svg.matchAll(/<\/?([a-zA-Z][\w:-]*)/g)].map((match) => match[1]));
		expect([...elements].sort()).toEqual(['path', 'rect', 'svg']);
		expect(svg).not.toMatch(/on\w+=|javascript:|<script|__pwned/i);
	});

	it.each(xssPayloads)('%s in a CSV export cannot run as a formula', (_label, text) => {
		const csv = toCsv({ headers: ['name'], hxl: ['#name'], rows: [[text]] });
		const cell = csv.split('\r\n')[2] ?? '';
		expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
	});

	it('no component renders markup from data, except QR codes', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (path.endsWith('.svelte')) files.push(path);
			}
		};
		walk('src');
		const rawHtml = files.flatMap((file) =>
			readFileSync(file, 'utf8')
				.split('\n')
				.filter((line) => line.includes('{@html'))
				.map((line) => `${file}: ${line.trim()}`)
		);
		expect(rawHtml.length).toBeGreaterThan(0);
		for (const line of rawHtml) expect(line).toMatch(/\{@html (qr|renderSVG\()/);
	});
});
