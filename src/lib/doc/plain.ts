// Turning what a peer stored (Yjs types, plain JSON, bytes) into a plain
// value for the domain's parsers, within bounds: a walk with its own stack
// (no recursion, so no depth can overflow the call stack) that stops, with a
// reason, at the first limit crossed. Nothing here throws on any content.
import * as Y from 'yjs';

export interface PlainLimits {
	/** How deep containers may nest; a post's claims are 2 levels below the post. */
	depth: number;
	/** Keys and elements in all, across every level. */
	values: number;
	/** Characters of strings and keys (and bytes of binary values), in all. */
	chars: number;
}

/**
 * Bounds for one record: far above anything the app writes (a post with a
 * thousand claims is ~3,000 values), far below what would stall a device.
 * The record's schema then applies its own, tighter, field limits.
 */
export const RECORD_LIMITS: PlainLimits = { depth: 8, values: 20_000, chars: 1_000_000 };

export type PlainRead = { ok: true; value: unknown } | { ok: false; problem: string };

interface Task {
	source: unknown;
	depth: number;
	put: (value: unknown) => void;
}

/** Set a key on a fresh object; `__proto__` stays a key, not the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
	// Assigning `__proto__` would set the prototype; every other key is a plain property.
	if (key !== '__proto__') {
		target[key] = value;
		return;
	}
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true
	});
}

/** A value read as it is: not a string (counted), not a container. */
function isScalar(value: unknown): boolean {
	return (
		value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean'
	);
}

/** Push so that children come off the stack first to last: keys keep their order. */
function pushInOrder(stack: Task[], children: Task[]): void {
	for (let index = children.length - 1; index >= 0; index--) stack.push(children[index] as Task);
}

function typeName(value: object): string {
	return value.constructor?.name ?? 'object';
}

export function readPlain(root: unknown, limits: PlainLimits = RECORD_LIMITS): PlainRead {
	let result: unknown;
	let values = 0;
	let chars = 0;
	const stack: Task[] = [{ source: root, depth: 0, put: (value) => (result = value) }];
	const tooLarge = (what: string, max: number): PlainRead => ({
		ok: false,
		problem: `too large (over ${max} ${what})`
	});
	while (stack.length > 0) {
		const { source, depth, put } = stack.pop() as Task;
		if (typeof source === 'string') {
			chars += source.length;
			if (chars > limits.chars) return tooLarge('characters', limits.chars);
			put(source);
			continue;
		}
		if (typeof source !== 'object' || source === null) {
			put(source);
			continue;
		}
		if (source instanceof Uint8Array) {
			chars += source.byteLength;
			if (chars > limits.chars) return tooLarge('characters', limits.chars);
			put(source);
			continue;
		}
		// XmlText is a kind of Text, and no record holds either kind of XML.
		if (source instanceof Y.Text && !(source instanceof Y.XmlText)) {
			chars += source.length;
			if (chars > limits.chars) return tooLarge('characters', limits.chars);
			put(source.toString());
			continue;
		}
		if (depth >= limits.depth)
			return { ok: false, problem: `nested too deep (over ${limits.depth} levels)` };
		if (source instanceof Y.Map) {
			const target: Record<string, unknown> = {};
			put(target);
			const nested: Task[] = [];
			// Yjs's own map of items, as `entries()` reads it (the last value of
			// each item not deleted) without an iterator and a pair per key:
			// a join reads every field of 20,000 records this way. Lazily, so a
			// map of a million keys stops at the limit, not after listing them.
			for (const [key, item] of source._map) {
				if (item.deleted) continue;
				const value: unknown = item.content.getContent()[item.length - 1];
				values += 1;
				chars += key.length;
				if (typeof value === 'string') chars += value.length;
				if (values > limits.values) return tooLarge('values', limits.values);
				if (chars > limits.chars) return tooLarge('characters', limits.chars);
				// Plain fields (most are) are read in place, strings counted above;
				// anything else is read below, its key set now to keep the order.
				if (typeof value === 'string' || isScalar(value)) {
					setKey(target, key, value);
					continue;
				}
				setKey(target, key, undefined);
				nested.push({
					source: value,
					depth: depth + 1,
					put: (plain: unknown) => setKey(target, key, plain)
				});
			}
			pushInOrder(stack, nested);
			continue;
		}
		if (source instanceof Y.Array || Array.isArray(source)) {
			const length: number = source.length;
			values += length;
			if (values > limits.values) return tooLarge('values', limits.values);
			const target: unknown[] = new Array(length);
			put(target);
			const elements: unknown[] = source instanceof Y.Array ? source.toArray() : source;
			pushInOrder(
				stack,
				elements.map((element, index) => ({
					source: element,
					depth: depth + 1,
					put: (plain: unknown) => (target[index] = plain)
				}))
			);
			continue;
		}
		if (source instanceof Y.AbstractType || source instanceof Y.Doc)
			return { ok: false, problem: `holds a value of an unexpected kind (${typeName(source)})` };
		if (Object.getPrototypeOf(source) !== Object.prototype)
			return { ok: false, problem: `holds a value of an unexpected kind (${typeName(source)})` };
		const keys = Object.keys(source);
		values += keys.length;
		if (values > limits.values) return tooLarge('values', limits.values);
		const target: Record<string, unknown> = {};
		put(target);
		const children: Task[] = [];
		for (const key of keys) {
			chars += key.length;
			if (chars > limits.chars) return tooLarge('characters', limits.chars);
			children.push({
				source: (source as Record<string, unknown>)[key],
				depth: depth + 1,
				put: (plain) => setKey(target, key, plain)
			});
		}
		pushInOrder(stack, children);
	}
	return { ok: true, value: result };
}
