// `npm run bench:join`: only the fast-join tables of `npm run bench`
// (fast-join.js), with the same BENCH_* sizes, for working on join speed.
import { launchBrowser, startServer } from '../tests/support/harness.js';
import { benchFastJoins, fastJoinSizes, printFastJoins } from './fast-join.js';
import { fmt, machine } from './probes.js';

const server = await startServer();
const browser = await launchBrowser();
try {
	const host = machine();
	console.log(`Barnraise join benchmarks — ${host.cpu}, ${host.memory}, ${host.chromium}`);
	printFastJoins(await benchFastJoins(browser, server.url, fastJoinSizes()), fmt);
} finally {
	await browser.close();
	await server.stop();
}
