import { describe, expect, it } from 'vitest';
import { readChosenBytes, readChosenText } from './chosen-file';

/** A file as a picker hands it over, that counts how often it was read. */
function chosen(size: number, content = 'hello') {
	const file = {
		size,
		reads: 0,
		async arrayBuffer() {
			file.reads += 1;
			return new TextEncoder().encode(content).buffer as ArrayBuffer;
		},
		async text() {
			file.reads += 1;
			return content;
		}
	};
	return file;
}

describe('reading a chosen file', () => {
	it('refuses one over the limit before reading a byte of it', async () => {
		const huge = chosen(4 * 1024 ** 3);
		expect(await readChosenBytes(huge, 1024)).toEqual({
			ok: false,
			problem: 'too-large',
			size: 4 * 1024 ** 3,
			max: 1024
		});
		expect(await readChosenText(huge, 1024)).toMatchObject({ ok: false, problem: 'too-large' });
		expect(huge.reads).toBe(0);
	});

	it('reads one at or under the limit', async () => {
		const small = chosen(5);
		const bytes = await readChosenBytes(small, 5);
		expect(bytes.ok && new TextDecoder().decode(bytes.bytes)).toBe('hello');
		expect(await readChosenText(small, 5)).toEqual({ ok: true, text: 'hello' });
	});

	it('says so when the browser cannot read it (a file removed since it was chosen)', async () => {
		const gone = {
			size: 10,
			arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')),
			text: () => Promise.reject(new DOMException('gone', 'NotReadableError'))
		};
		expect(await readChosenBytes(gone, 100)).toEqual({ ok: false, problem: 'unreadable' });
		expect(await readChosenText(gone, 100)).toEqual({ ok: false, problem: 'unreadable' });
	});
});
