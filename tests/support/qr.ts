// QR codes as a camera or a screen would see them, for tests: a code is drawn
// as black and white pixels, and read back with the app's own ZXing reader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { encode } from 'uqr';
import { loadZxing, readQrPixels, type Pixels } from '../../src/lib/scan/qr-decode';

export interface DrawnQr extends Pixels {
	/** The QR version (1–40): the code is 17 + 4 × version modules wide. */
	readonly version: number;
}

/**
 * Draw `text` as a QR code: `scale` pixels per module, with a white quiet
 * zone of `quietZone` modules around it.
 */
export function drawQr(
	text: string,
	{
		ecc = 'M',
		scale = 4,
		quietZone = 4
	}: { ecc?: 'L' | 'M'; scale?: number; quietZone?: number } = {}
): DrawnQr {
	const qr = encode(text, { ecc, border: 0 });
	const side = (qr.size + quietZone * 2) * scale;
	const data = new Uint8ClampedArray(side * side * 4).fill(255);
	qr.data.forEach((row, y) =>
		row.forEach((dark, x) => {
			if (!dark) return;
			for (let dy = 0; dy < scale; dy++) {
				const start = (((y + quietZone) * scale + dy) * side + (x + quietZone) * scale) * 4;
				for (let at = start; at < start + scale * 4; at += 4)
					data[at] = data[at + 1] = data[at + 2] = 0;
			}
		})
	);
	return { data, width: side, height: side, version: qr.version };
}

/** Read a drawn code back with ZXing, loading its .wasm from node_modules. */
export async function readQr(pixels: Pixels): Promise<string | null> {
	const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
	const bytes = readFileSync(wasm);
	await loadZxing(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
	return readQrPixels(pixels);
}

/**
 * A video file for Chromium's fake camera (`--use-file-for-fake-video-capture`)
 * that films `text` as a QR code on a white page: YUV4MPEG2, 4:2:0, a few
 * frames that Chromium plays in a loop.
 */
export function qrVideo(text: string, width = 640, height = 480): Buffer {
	const qr = drawQr(text, { ecc: 'M', scale: 1, quietZone: 0 });
	const scale = Math.floor((Math.min(width, height) * 0.8) / qr.width);
	const left = Math.floor((width - qr.width * scale) / 2);
	const top = Math.floor((height - qr.height * scale) / 2);
	const luma = new Uint8Array(width * height).fill(235);
	for (let y = 0; y < qr.height * scale; y++) {
		for (let x = 0; x < qr.width * scale; x++) {
			const dark = qr.data[(Math.floor(y / scale) * qr.width + Math.floor(x / scale)) * 4] === 0;
			if (dark) luma[(top + y) * width + left + x] = 16;
		}
	}
	const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
	return Buffer.concat([header, frame, frame, frame, frame, frame]);
}
