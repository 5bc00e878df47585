// Turning a photo or scan of a paper map into a base map every peer can hold:
// scaled down and compressed on this device to a sane size before it enters
// the space, since every member's phone will store and sync it.
import { ASSET_LIMITS } from '../domain/assets';

/** Longest side kept: enough to read street names on a scanned A3 sheet. */
export const MAX_SIDE = 2560;
/** What we aim for after compression. */
export const TARGET_BYTES = 1.5 * 1024 * 1024;
/** What a base map may be at most, after every try to shrink it. */
export const MAX_BYTES = 2.5 * 1024 * 1024;
/** A bigger file is refused before even opening it. */
export const MAX_INPUT_BYTES = 40 * 1024 * 1024;

const KEEP_AS_IS = new Set(['image/jpeg', 'image/png', 'image/webp']);
const QUALITIES = [0.82, 0.7, 0.6];
const SMALLEST_SIDE = 800;

export interface PreparedImage {
	bytes: Uint8Array;
	width: number;
	height: number;
	mime: 'image/jpeg' | 'image/png' | 'image/webp';
}

/** Why a picture cannot become a base map; sizes in bytes, for the view to say in MB. */
export type BaseMapImageProblem =
	| { kind: 'still-too-big'; bytes: number; max: number }
	| { kind: 'file-too-big'; bytes: number; max: number; target: number }
	| { kind: 'not-a-picture' }
	| { kind: 'cannot-draw' }
	| { kind: 'cannot-compress' };

export class BaseMapImageError extends Error {
	constructor(readonly problem: BaseMapImageProblem) {
		super(problem.kind);
		this.name = 'BaseMapImageError';
	}
}

/** Draws the picture at a size and encodes it as JPEG at a quality. */
export type Encoder = (width: number, height: number, quality: number) => Promise<Blob>;

/**
 * Decide how to store a picture of `width`×`height`: as it is when it is
 * already small, else re-encoded at falling qualities and then sizes until it
 * is under TARGET_BYTES — or, failing that, under MAX_BYTES.
 */
export async function shrinkToFit(
	original: { size: number; type: string; width: number; height: number },
	encode: Encoder
): Promise<{ blob: Blob | null; width: number; height: number }> {
	const { width, height } = original;
	if (
		KEEP_AS_IS.has(original.type) &&
		Math.max(width, height) <= MAX_SIDE &&
		original.size <= TARGET_BYTES
	)
		return { blob: null, width, height };
	let scale = Math.min(1, MAX_SIDE / Math.max(width, height));
	let best: { blob: Blob; width: number; height: number } | null = null;
	for (;;) {
		const w = Math.max(1, Math.round(width * scale));
		const h = Math.max(1, Math.round(height * scale));
		for (const quality of QUALITIES) {
			const blob = await encode(w, h, quality);
			if (!best || blob.size < best.blob.size) best = { blob, width: w, height: h };
			if (blob.size <= TARGET_BYTES) return best;
		}
		if (Math.max(w, h) * 0.8 < SMALLEST_SIDE) break;
		scale *= 0.8;
	}
	if (best && best.blob.size <= MAX_BYTES) return best;
	throw new BaseMapImageError({
		kind: 'still-too-big',
		bytes: best?.blob.size ?? original.size,
		max: MAX_BYTES
	});
}

/** Open a picture the person chose, and make it a base map's image. */
export async function prepareBaseMapImage(file: Blob): Promise<PreparedImage> {
	if (file.size > MAX_INPUT_BYTES)
		throw new BaseMapImageError({
			kind: 'file-too-big',
			bytes: file.size,
			max: MAX_INPUT_BYTES,
			target: TARGET_BYTES
		});
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file);
	} catch {
		throw new BaseMapImageError({ kind: 'not-a-picture' });
	}
	try {
		const canvas = document.createElement('canvas');
		const encode: Encoder = (width, height, quality) => {
			canvas.width = width;
			canvas.height = height;
			const context = canvas.getContext('2d');
			if (!context) throw new BaseMapImageError({ kind: 'cannot-draw' });
			// A white ground, so transparent drawings do not turn black as JPEG.
			context.fillStyle = '#fff';
			context.fillRect(0, 0, width, height);
			context.drawImage(bitmap, 0, 0, width, height);
			return new Promise((resolve, reject) =>
				canvas.toBlob(
					(blob) =>
						blob ? resolve(blob) : reject(new BaseMapImageError({ kind: 'cannot-compress' })),
					'image/jpeg',
					quality
				)
			);
		};
		const shrunk = await shrinkToFit(
			{ size: file.size, type: file.type, width: bitmap.width, height: bitmap.height },
			encode
		);
		const blob = shrunk.blob ?? file;
		return {
			bytes: new Uint8Array(await blob.arrayBuffer()),
			width: shrunk.width,
			height: shrunk.height,
			mime: (shrunk.blob ? 'image/jpeg' : file.type) as PreparedImage['mime']
		};
	} finally {
		bitmap.close();
	}
}

/** A name from the file's, when the person gives none; `fallback` when the file's says nothing. */
export function nameFromFile(fileName: string, fallback: string): string {
	const base = fileName
		.replace(/\.[^.]+$/, '')
		.replace(/[_-]+/g, ' ')
		.trim();
	return (base || fallback).slice(0, ASSET_LIMITS.baseMapName);
}
