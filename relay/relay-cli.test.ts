// The relay as an organizer starts it: invite links from a private file or
// standard input, and one relay per data folder.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeInviteLink } from '../src/lib/sync/invite';
import { deriveSpaceSecrets, generateSpaceKey } from '../src/lib/sync/keys';
import { spawnRelay, type RelayProcess } from '../tests/support/relay-process';

const runner = fileURLToPath(new URL('./run-from-source.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'barnraise-cli-'));
const children: RelayProcess['child'][] = [];
afterAll(() => {
	for (const child of children) child.kill('SIGKILL');
	rmSync(root, { recursive: true, force: true });
});

// Nothing listens there: these relays never link, they only start.
const key = generateSpaceKey();
const link = makeInviteLink('barnraise:', {
	key,
	name: 'Cli',
	signaling: ['ws://127.0.0.1:9/signal']
});

function startRelay(args: string[], stdin?: string) {
	const relay = spawnRelay(runner, args, stdin);
	children.push(relay.child);
	return relay;
}

function privateFile(name: string, text: string, mode = 0o600): string {
	const path = join(root, name);
	writeFileSync(path, text);
	chmodSync(path, mode);
	return path;
}

describe('starting a relay', () => {
	it('refuses a second relay on the same data folder, and the first keeps running', async () => {
		const dataDir = join(root, 'shared');
		const first = startRelay([
			'--invites-file',
			privateFile('invites', `${link}\n`),
			'--data',
			dataDir
		]);
		await first.waitFor(/relay running with 1 space/);

		const second = startRelay(['--invites-stdin', '--data', dataDir], `${link}\n`);
		expect(await second.exited).toBe(2);
		expect(second.lines.join('\n')).toMatch(
			/another relay is already using the data folder .*shared; stop it first/
		);
		expect(first.child.exitCode).toBeNull();
		first.child.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		expect(first.lines.join('\n')).toMatch(/relay stopped/);

		// With the first one gone, the folder is free again.
		const third = startRelay(['--invites-stdin', '--data', dataDir], `${link}\n`);
		await third.waitFor(/relay running with 1 space/);
		third.child.kill('SIGKILL');
	}, 60_000);

	it.each([
		[['--invites-stdin', '--dta', 'x'], '--dta'],
		[['--invites-stdin', '--verbose'], '--verbose'],
		[['-x', '--invites-stdin'], '-x']
	])(
		'refuses an unknown flag %j, naming it and showing the usage',
		async (args, flag) => {
			const relay = startRelay(args, `${link}\n`);
			expect(await relay.exited).toBe(2);
			const output = relay.lines.join('\n');
			expect(output).toContain(`stderr: Barnraise relay: unknown option ${flag}`);
			expect(output).toMatch(/usage: npm run relay -- --invites-file/);
			expect(output).not.toMatch(/TypeError|ERR_PARSE_ARGS|at .*\.js:\d+/);
		},
		30_000
	);

	it('refuses a flag that needs a value and has none', async () => {
		const relay = startRelay(['--invites-stdin', '--data'], `${link}\n`);
		expect(await relay.exited).toBe(2);
		const output = relay.lines.join('\n');
		expect(output).toMatch(/stderr: Barnraise relay: --data needs a value/);
		expect(output).toMatch(/usage: npm run relay -- --invites-file/);
	}, 30_000);

	it('refuses an invites file that others can read', async () => {
		const path = privateFile('open-invites', `${link}\n`, 0o644);
		const relay = startRelay(['--invites-file', path, '--data', join(root, 'open')]);
		expect(await relay.exited).toBe(2);
		expect(relay.lines.join('\n')).toMatch(/can be read or changed by other users.*chmod 600/);
	}, 30_000);

	it('still takes a link as an argument, warning that ps shows it', async () => {
		const relay = startRelay([link, '--data', join(root, 'argument')]);
		await relay.waitFor(/relay running with 1 space/);
		expect(relay.lines.join('\n')).toMatch(/stderr: .*warning: invite links on the command line/);
		relay.child.kill('SIGKILL');
	}, 30_000);

	it('imports the log an older relay left in its data folder, once', async () => {
		const dataDir = join(root, 'upgraded');
		mkdirSync(dataDir);
		const doc = new Y.Doc();
		doc.getMap('posts').set('kept', 'from before the upgrade');
		const update = Y.encodeStateAsUpdate(doc);
		const header = Buffer.alloc(8);
		header.writeUInt32BE(update.byteLength, 0);
		header.writeUInt32BE(crc32(update), 4);
		const oldLog = join(dataDir, `${deriveSpaceSecrets(key).spaceId}.ylog`);
		writeFileSync(oldLog, Buffer.concat([header, update]));

		const invites = privateFile('upgraded-invites', `${link}\n`);
		const relay = startRelay(['--invites-file', invites, '--data', dataDir]);
		await relay.waitFor(/imported 1 updates of .* from the old log/);
		// From there into the relay's own signed log, as a legacy import.
		await relay.waitFor(
			/imported its content from before signed changes \(1 updates\) as 1 signed changes of its own/
		);
		await relay.waitFor(/loaded 1 signed changes of 1 devices from disk/);
		expect(existsSync(`${oldLog}.imported`)).toBe(true);
		await relay.waitFor(/relay running/);
		relay.child.kill('SIGTERM');
		expect(await relay.exited).toBe(0);

		const again = startRelay(['--invites-file', invites, '--data', dataDir]);
		await again.waitFor(/loaded 1 signed changes of 1 devices from disk/);
		expect(again.lines.join('\n')).not.toMatch(/imported/);
		again.child.kill('SIGKILL');
	}, 40_000);
});
