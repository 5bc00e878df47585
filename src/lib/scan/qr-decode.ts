// Reading QR codes from camera frames and photos.
//
// Where the browser's BarcodeDetector reads QR codes (Chrome on Android and
// macOS, for example) we use it. Elsewhere — desktop Linux, Firefox, Safari —
// we use ZXing compiled to WebAssembly (zxing-wasm, maintained, the engine
// behind the BarcodeDetector polyfills). Its .wasm is one of our own build
// files: it is served from the same origin, precached by the service worker
// for offline use, and fetched only the first time something is scanned.
import type { ReaderOptions } from 'zxing-wasm/reader';

/** RGBA pixels, the shape of the DOM's ImageData. */
export interface Pixels {
	readonly data: Uint8ClampedArray;
	readonly width: number;
	readonly height: number;
}

/** Something a frame can be read from. */
export type FrameSource = HTMLVideoElement | ImageBitmap;

export interface QrReader {
	/** Which engine reads: the browser's own, or ZXing. */
	readonly engine: 'native' | 'zxing';
	/** The text of the first QR code in the frame, or null when there is none. */
	read(source: FrameSource): Promise<string | null>;
}

const ZXING_OPTIONS = {
	formats: ['QRCode'],
	tryHarder: true,
	maxNumberOfSymbols: 1
} satisfies ReaderOptions;

/**
 * Frames are scaled down to this many pixels on their longer side before
 * ZXing reads them: a phone photo is 12 megapixels, and a QR code that fills
 * a fair part of it reads just as well at a tenth of that.
 */
export const MAX_FRAME_SIDE = 1280;

type ZxingReader = typeof import('zxing-wasm/reader');
let zxing: Promise<ZxingReader> | undefined;

/**
 * Load ZXing once. The browser fetches the .wasm from our own build; tests in
 * Node pass the file's bytes instead.
 */
export function loadZxing(wasmBinary?: ArrayBuffer): Promise<ZxingReader> {
	zxing ??= (async () => {
		const reader = await import('zxing-wasm/reader');
		if (wasmBinary) {
			reader.prepareZXingModule({ overrides: { wasmBinary } });
		} else {
			const { default: wasmUrl } = await import('zxing-wasm/reader/zxing_reader.wasm?url');
			reader.prepareZXingModule({
				overrides: {
					locateFile: (path, prefix) => (path.endsWith('.wasm') ? wasmUrl : prefix + path)
				}
			});
		}
		return reader;
	})();
	return zxing;
}

/** Read a QR code from raw pixels with ZXing. */
export async function readQrPixels(pixels: Pixels): Promise<string | null> {
	const { readBarcodes } = await loadZxing();
	const [first] = await readBarcodes(pixels as ImageData, ZXING_OPTIONS);
	return first?.isValid ? first.text : null;
}

interface NativeDetector {
	detect(source: FrameSource): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
	new (options: { formats: string[] }): NativeDetector;
	getSupportedFormats(): Promise<string[]>;
}

/** The browser's own QR reader, when it has one that reads QR codes. */
async function nativeReader(): Promise<QrReader | null> {
	const Detector = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
	if (!Detector) return null;
	try {
		if (!(await Detector.getSupportedFormats()).includes('qr_code')) return null;
		const detector = new Detector({ formats: ['qr_code'] });
		return {
			engine: 'native',
			async read(source) {
				const [first] = await detector.detect(source);
				return first?.rawValue ?? null;
			}
		};
	} catch {
		return null;
	}
}

/** Draw a frame, scaled to fit MAX_FRAME_SIDE, and take its pixels. */
function framePixels(source: FrameSource, canvas: HTMLCanvasElement): Pixels | null {
	const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
	const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
	if (width === 0 || height === 0) return null;
	const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height));
	canvas.width = Math.round(width * scale);
	canvas.height = Math.round(height * scale);
	const context = canvas.getContext('2d', { willReadFrequently: true });
	if (!context) return null;
	context.drawImage(source, 0, 0, canvas.width, canvas.height);
	return context.getImageData(0, 0, canvas.width, canvas.height);
}

function zxingReader(): QrReader {
	const canvas = document.createElement('canvas');
	return {
		engine: 'zxing',
		async read(source) {
			const pixels = framePixels(source, canvas);
			return pixels ? readQrPixels(pixels) : null;
		}
	};
}

/** The best QR reader this browser has. */
export async function createQrReader(): Promise<QrReader> {
	return (await nativeReader()) ?? zxingReader();
}

/** Read a QR code from a photo file (a picture taken or chosen on the device). */
/**
 * The largest file opened as a photo of a code. A phone's photo is 2 to 12
 * MB; a bigger file is some other thing (a video, a RAW file no browser
 * opens), and opening it could take a phone's memory. As for base maps.
 */
export const MAX_PHOTO_BYTES = 40 * 1024 * 1024;

/** Why a photo was not read: larger than any photo, or not a picture the browser opens. */
export class QrPhotoError extends Error {
	readonly problem: 'too-large' | 'not-a-picture';
	readonly max = MAX_PHOTO_BYTES;
	constructor(problem: 'too-large' | 'not-a-picture') {
		super(problem === 'too-large' ? 'photo too large' : 'not a picture');
		this.problem = problem;
	}
}

export async function readQrPhoto(reader: QrReader, photo: Blob): Promise<string | null> {
	if (photo.size > MAX_PHOTO_BYTES) throw new QrPhotoError('too-large');
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(photo);
	} catch {
		throw new QrPhotoError('not-a-picture');
	}
	try {
		return await reader.read(bitmap);
	} finally {
		bitmap.close();
	}
}
