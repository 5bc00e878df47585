// Bad typed values, one a line: numbers, points, state codes and server
// addresses as a person might type or paste them. Each says what the app's
// reader must answer: NaN for a number that is not one, the point's problem,
// the state code's problem, or null for an address that is no server.
import type { StateCodeProblem } from '../../src/lib/sync/space-bundle';

/** Typed into a number field: never a number (NaN), in either language's way of writing. */
export const notNumberCases: [label: string, input: string][] = [
	['nothing', ''],
	['spaces', '   '],
	['a word', 'five'],
	['a unit after', '5 kg'],
	['a unit before', 'kg 5'],
	['two decimal commas', '1,5,5'],
	['two decimal points after a comma', '1,000.5.5'],
	['grouping by twos', '12 34'],
	['a sign alone', '-'],
	['two signs', '--5'],
	['a sign at the end', '5-'],
	['hexadecimal', '0x10'],
	['an exponent', '1e5'],
	['Infinity', 'Infinity'],
	['NaN', 'NaN'],
	['a fraction', '1/2'],
	['a percent', '50%'],
	['Arabic-Indic digits', '٣'],
	['full-width digits', '５'],
	['a right-to-left override', '\u202e5'],
	['a zero-width space inside', '1\u200b000'],
	['an HTML tag', '<img src=x onerror=alert(1)>'],
	['a formula', '=1+1'],
	['a megabyte of digits and commas', '1,'.repeat(500_000)],
	['ten thousand nines then a letter', `${'9'.repeat(10_000)}x`]
];

export type PointProblem = 'not-a-point' | 'off-the-earth';

/** Typed into a place field, and the problem readPoint must name. */
export const pointCases: [label: string, input: string, problem: PointProblem][] = [
	['one number', '25.77', 'not-a-point'],
	['three numbers', '25.77, -80.19, 10', 'not-a-point'],
	['words', 'Main street', 'not-a-point'],
	['a map link', 'https://maps.example/?q=25.77,-80.19', 'not-a-point'],
	['degrees and minutes', '25°46′N 80°11′W', 'not-a-point'],
	['NaN and NaN', 'NaN, NaN', 'not-a-point'],
	['Infinity', 'Infinity, 0', 'not-a-point'],
	['an exponent', '1e1, 2e1', 'not-a-point'],
	['hexadecimal', '0x10, 0x20', 'not-a-point'],
	['two decimal marks', '25.7.7, 80.1', 'not-a-point'],
	['an HTML tag', '<img src=x onerror=alert(1)>', 'not-a-point'],
	['a javascript: URL', 'javascript:alert(1)', 'not-a-point'],
	['a right-to-left override', '\u202e25.77, -80.19', 'not-a-point'],
	['a megabyte of commas', ','.repeat(1_000_000), 'not-a-point'],
	['a latitude of 91', '91, 0', 'off-the-earth'],
	['a latitude of -90.5', '-90.5, 0', 'off-the-earth'],
	['a longitude of 181', '0, 181', 'off-the-earth'],
	['a longitude of -999', '0; -999', 'off-the-earth'],
	['a hundred-digit latitude', `${'9'.repeat(100)}, 0`, 'off-the-earth']
];

/** Pasted as another device's state code, and the problem parseStateCode must name. */
export const stateCodeCases: [label: string, input: string, problem: StateCodeProblem][] = [
	['nothing', '', 'not-a-state-code'],
	['the prefix only', 'BRSV1.', 'state-code-damaged'],
	['another prefix', 'BRSV2.AAAA', 'not-a-state-code'],
	['the prefix in lower case', 'brsv1.AAAA', 'not-a-state-code'],
	['a pairing code', 'BRPAIR1.space.AAAA', 'not-a-state-code'],
	['outside base64url', 'BRSV1.!!!!', 'not-a-state-code'],
	['an impossible base64 length', 'BRSV1.AAAAA', 'not-a-state-code'],
	['an HTML tag', 'BRSV1.<img src=x onerror=alert(1)>', 'not-a-state-code'],
	['a count that never ends', 'BRSV1.gICAgICAgICAgICA', 'state-code-damaged'],
	['a count of a million clients', 'BRSV1.wIQ9', 'state-code-damaged'],
	['one client cut short', 'BRSV1.AQ', 'state-code-damaged']
];

/** Typed as a signaling server: none of these is one (signalingUrlFrom gives null). */
export const notServerCases: [label: string, input: string][] = [
	['nothing', ''],
	['spaces inside', 'ws://192.168.1.20 :8080'],
	['a javascript: URL', 'javascript:alert(1)'],
	['a data: URL', 'data:text/html,<script>alert(1)</script>'],
	['a file: URL', 'file:///etc/passwd'],
	['an ftp server', 'ftp://192.168.1.20'],
	['an invite link', 'https://192.168.1.20:8080/join#k=abc'],
	['a link with a query', 'https://192.168.1.20:8080/?next=evil'],
	['a user and password', 'ws://user:pass@192.168.1.20/signal'],
	['only a scheme', 'ws://'],
	['an HTML tag', '<img src=x onerror=alert(1)>'],
	['a host with a right-to-left override', 'ws://\u202e192.168.1.20']
];
