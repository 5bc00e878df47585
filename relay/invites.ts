// Where the relay gets its invite links. An invite holds its space's key,
// so links should not be command-line arguments, which `ps` shows every user
// of the machine: they come from a file only its owner can read
// (`--invites-file`) or from standard input (`--invites-stdin`), one link per
// line. Links given as arguments still work, with a warning.
import { readFileSync, statSync } from 'node:fs';

export interface InviteSources {
	positionals: string[];
	invitesFile?: string;
	invitesStdin?: boolean;
}

/** Why a file of keys must not be used, or null when only its owner can read or write it. */
export function privateFileProblem(path: string): string | null {
	const mode = statSync(path).mode & 0o777;
	// Windows has no such bits to check.
	if (process.platform === 'win32' || (mode & 0o077) === 0) return null;
	return (
		`${path} can be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
		`it holds space keys: run chmod 600 "${path}"`
	);
}

/** The links in a text: one per line, blank lines ignored. */
export function linksIn(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line.length > 0);
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * Every invite link from the sources given; throws an Error whose message
 * says what to do when a file is unsafe or unreadable.
 */
export async function readInviteLinks(
	sources: InviteSources,
	stdin: NodeJS.ReadableStream,
	warn: (line: string) => void
): Promise<string[]> {
	const links: string[] = [];
	if (sources.invitesFile) {
		let problem: string | null;
		try {
			problem = privateFileProblem(sources.invitesFile);
		} catch (error) {
			throw new Error(`cannot read the invites file: ${String(error)}`, { cause: error });
		}
		if (problem) throw new Error(problem);
		links.push(...linksIn(readFileSync(sources.invitesFile, 'utf8')));
	}
	if (sources.invitesStdin) links.push(...linksIn(await readAll(stdin)));
	if (sources.positionals.length > 0) {
		warn(
			'invite links on the command line can be seen by every user of this machine (ps); ' +
				'put them in a file only you can read (--invites-file) or pipe them in (--invites-stdin)'
		);
		links.push(...sources.positionals);
	}
	return links;
}
