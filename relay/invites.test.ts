import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { linksIn, readInviteLinks } from './invites';

const dir = mkdtempSync(join(tmpdir(), 'barnraise-invites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const A = 'http://127.0.0.1:8080/join#k=aaaa';
const B = 'http://127.0.0.1:8080/join#k=bbbb';
const noStdin = Readable.from([]);

function invitesFile(name: string, text: string, mode: number): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	chmodSync(path, mode);
	return path;
}

describe('where the relay reads its invite links', () => {
	it('reads one link per line from a file only its owner can read', async () => {
		const path = invitesFile('ok', `${A}\r\n\n  ${B}  \n`, 0o600);
		const warnings: string[] = [];
		expect(
			await readInviteLinks({ positionals: [], invitesFile: path }, noStdin, (line) =>
				warnings.push(line)
			)
		).toEqual([A, B]);
		expect(warnings).toEqual([]);
	});

	it.each([0o644, 0o640, 0o604, 0o660, 0o602])(
		'refuses a file others can read or change (mode %o), saying how to fix it',
		async (mode) => {
			const path = invitesFile(`open-${mode.toString(8)}`, `${A}\n`, mode);
			await expect(
				readInviteLinks({ positionals: [], invitesFile: path }, noStdin, () => {})
			).rejects.toThrow(`chmod 600 "${path}"`);
		}
	);

	it('says so when the file is missing', async () => {
		await expect(
			readInviteLinks({ positionals: [], invitesFile: join(dir, 'missing') }, noStdin, () => {})
		).rejects.toThrow(/cannot read the invites file/);
	});

	it('reads links from standard input', async () => {
		const stdin = Readable.from([Buffer.from(`${A}\n`), Buffer.from(`${B}\n`)]);
		expect(await readInviteLinks({ positionals: [], invitesStdin: true }, stdin, () => {})).toEqual(
			[A, B]
		);
	});

	it('still takes links as arguments, with a warning that ps shows them', async () => {
		const warnings: string[] = [];
		expect(
			await readInviteLinks({ positionals: [A] }, noStdin, (line) => warnings.push(line))
		).toEqual([A]);
		expect(warnings.join('\n')).toMatch(/\(ps\).*--invites-file.*--invites-stdin/);
	});

	it('ignores blank lines', () => {
		expect(linksIn('\n\n')).toEqual([]);
	});
});
