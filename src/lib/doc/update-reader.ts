// A quick, strict reading of a Yjs update (format v1) for the judge
// (update-rules.ts): the ids, lengths, origins, parents and content kind of
// every struct, and the delete set, without building Yjs's content. A join
// judges every entry before applying it, and `Y.decodeUpdate` spent most of
// the judging time decoding strings and values the judge never looks at.
//
// It reads only what it can read exactly as Yjs would: anything unusual —
// bytes past the end, a malformed number or UTF-8 string, a skip, content
// kinds this app never writes (JSON, embeds, formats, subdocs, XML names) —
// makes it give up (null), and the judge then reads the update with
// `Y.decodeUpdate` as before. So where it answers, Yjs reads the same
// structs; where Yjs would throw, it never answers.
import * as binary from 'lib0/binary';
import * as Y from 'yjs';
import { ShortStrings } from './short-strings';

/** An item as the judge needs it: where it sits and what kind of content it holds. */
export class ReadItem {
	constructor(
		readonly id: Y.ID,
		readonly length: number,
		readonly origin: Y.ID | null,
		readonly rightOrigin: Y.ID | null,
		/** A root's name, the id of the item whose type holds it, or null when left out. */
		readonly parent: string | Y.ID | null,
		readonly parentSub: string | null,
		/** ContentAny: a value written with `set` (what facts are). */
		readonly isAny: boolean
	) {}

	/**
	 * Scratch for the one judgement (update-rules.ts) that set `judgedBy`:
	 * where the item sits and its record, once worked out. On the item rather
	 * than in maps, as a large update has hundreds of thousands of items.
	 */
	judgedBy: object | null = null;
	place: unknown = undefined;
	record: unknown = undefined;
}

/** Collected content (a GC struct). */
export class ReadGC {
	constructor(
		readonly id: Y.ID,
		readonly length: number
	) {}
}

export interface ReadUpdate {
	structs: (ReadItem | ReadGC)[];
	ds: { clients: Map<number, { clock: number; len: number }[]> };
	/** Where the structs end and the delete set begins, in bytes. */
	structsEnd: number;
}

class GiveUp {}
const GIVE_UP = new GiveUp();

const { BIT6, BIT7, BIT8, BITS5, BITS6, BITS7 } = binary;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Strings up to this many bytes are read by hand when they are ASCII (what a TextDecoder makes of them). */
const SHORT_ASCII = 40;

/**
 * Short keys read lately, for every update judged: one string each, kept by
 * every item that names it. One table for all (made once, not per update);
 * every string found in it is checked against the bytes, so sharing it is safe.
 */
const keys = new ShortStrings();

class Reader {
	pos = 0;
	constructor(readonly bytes: Uint8Array) {}

	byte(): number {
		if (this.pos >= this.bytes.length) throw GIVE_UP;
		return this.bytes[this.pos++]!;
	}

	/** lib0's readVarUint, with its limits. */
	varUint(): number {
		let num = 0;
		let mult = 1;
		for (;;) {
			const r = this.byte();
			num += (r & BITS7) * mult;
			mult *= 128;
			if (r < BIT8) return num;
			if (num > Number.MAX_SAFE_INTEGER) throw GIVE_UP;
		}
	}

	/** lib0's readVarInt, skipped. */
	skipVarInt(): void {
		let r = this.byte();
		let num = r & BITS6;
		let mult = 64;
		if ((r & BIT8) === 0) return;
		for (;;) {
			r = this.byte();
			num += (r & BITS7) * mult;
			mult *= 128;
			if (r < BIT8) return;
			if (num > Number.MAX_SAFE_INTEGER) throw GIVE_UP;
		}
	}

	skip(length: number): void {
		if (length > this.bytes.length - this.pos) throw GIVE_UP;
		this.pos += length;
	}

	/** A string the judge reads (a root's name, a key). */
	string(): string {
		const length = this.varUint();
		const start = this.pos;
		this.skip(length);
		// Keys and root names are short and ASCII: made here, without a TextDecoder call each.
		if (length <= SHORT_ASCII) {
			// The same string for every item with this key: what the judge keeps stays small.
			const text = keys.read(this.bytes, start, this.pos);
			if (text !== null) return text;
		}
		try {
			return utf8.decode(this.bytes.subarray(start, this.pos));
		} catch {
			throw GIVE_UP;
		}
	}

	/** A string only checked and measured: its length in UTF-16 code units, as JavaScript counts. */
	stringLength(): number {
		const length = this.varUint();
		const end = this.pos + length;
		if (length > this.bytes.length - this.pos) throw GIVE_UP;
		const bytes = this.bytes;
		let units = 0;
		let at = this.pos;
		while (at < end) {
			const lead = bytes[at]!;
			if (lead < 0x80) {
				at += 1;
				units += 1;
				continue;
			}
			// Well-formed UTF-8 only (what a fatal TextDecoder takes).
			let count: number;
			let low = 0x80;
			let high = 0xbf;
			if (lead >= 0xc2 && lead <= 0xdf) count = 1;
			else if (lead >= 0xe0 && lead <= 0xef) {
				count = 2;
				if (lead === 0xe0) low = 0xa0;
				if (lead === 0xed) high = 0x9f;
			} else if (lead >= 0xf0 && lead <= 0xf4) {
				count = 3;
				if (lead === 0xf0) low = 0x90;
				if (lead === 0xf4) high = 0x8f;
			} else throw GIVE_UP;
			if (at + count >= end) throw GIVE_UP;
			const second = bytes[at + 1]!;
			if (second < low || second > high) throw GIVE_UP;
			for (let i = 2; i <= count; i++) {
				const next = bytes[at + i]!;
				if (next < 0x80 || next > 0xbf) throw GIVE_UP;
			}
			at += count + 1;
			units += count === 3 ? 2 : 1;
		}
		this.pos = end;
		return units;
	}

	/** lib0's readAny, skipped (its strings checked). */
	skipAny(depth = 0): void {
		if (depth > 64) throw GIVE_UP;
		switch (this.byte()) {
			case 127: // undefined
			case 126: // null
			case 121: // false
			case 120: // true
				return;
			case 125:
				return this.skipVarInt();
			case 124:
				return this.skip(4);
			case 123:
			case 122:
				return this.skip(8);
			case 119:
				this.stringLength();
				return;
			case 118: {
				const length = this.varUint();
				for (let i = 0; i < length; i++) {
					this.stringLength();
					this.skipAny(depth + 1);
				}
				return;
			}
			case 117: {
				const length = this.varUint();
				for (let i = 0; i < length; i++) this.skipAny(depth + 1);
				return;
			}
			case 116:
				return this.skip(this.varUint());
			default:
				throw GIVE_UP;
		}
	}
}

/** Item content: its length, and whether it is ContentAny; gives up on kinds this app never writes. */
function readContent(reader: Reader, ref: number): { length: number; isAny: boolean } {
	switch (ref) {
		case 1: // deleted
			return { length: reader.varUint(), isAny: false };
		case 3: // binary
			reader.skip(reader.varUint());
			return { length: 1, isAny: false };
		case 4: // string
			return { length: reader.stringLength(), isAny: false };
		case 7: {
			// A type: YArray, YMap, YText, YXmlFragment, YXmlText carry nothing more.
			const typeRef = reader.varUint();
			if (typeRef !== 0 && typeRef !== 1 && typeRef !== 2 && typeRef !== 4 && typeRef !== 6)
				throw GIVE_UP;
			return { length: 1, isAny: false };
		}
		case 8: {
			const length = reader.varUint();
			for (let i = 0; i < length; i++) reader.skipAny();
			return { length, isAny: true };
		}
		default:
			throw GIVE_UP;
	}
}

/**
 * The structs and delete set of `update`, as `Y.decodeUpdate` reads them
 * but without their content; null when it cannot read it strictly (then
 * read it with `Y.decodeUpdate`). With `bounds`, where each struct begins and ends.
 */
export function readUpdate(update: Uint8Array, bounds?: number[]): ReadUpdate | null {
	try {
		return read(new Reader(update), bounds);
	} catch (error) {
		if (error === GIVE_UP) return null;
		throw error;
	}
}

/** With `bounds`, where each struct begins and ends goes into it, in the order of `structs`. */
function read(reader: Reader, bounds?: number[]): ReadUpdate {
	const structs: (ReadItem | ReadGC)[] = [];
	// A record's fields follow one another with one parent: they share its id.
	let lastParent: Y.ID | null = null;
	const clientsCount = reader.varUint();
	for (let c = 0; c < clientsCount; c++) {
		const count = reader.varUint();
		const client = reader.varUint();
		let clock = reader.varUint();
		for (let s = 0; s < count; s++) {
			bounds?.push(reader.pos);
			const info = reader.byte();
			if (info === 10) throw GIVE_UP; // a Skip: the judge refuses it, through Yjs's reading
			if ((info & BITS5) === 0) {
				const length = reader.varUint();
				structs.push(new ReadGC(Y.createID(client, clock), length));
				bounds?.push(reader.pos);
				clock += length;
				continue;
			}
			const origin = (info & BIT8) === BIT8 ? Y.createID(reader.varUint(), reader.varUint()) : null;
			const rightOrigin =
				(info & BIT7) === BIT7 ? Y.createID(reader.varUint(), reader.varUint()) : null;
			const copiesParent = (info & (BIT7 | BIT8)) !== 0;
			let parent: string | Y.ID | null = null;
			let parentSub: string | null = null;
			if (!copiesParent) {
				if (reader.varUint() === 1) parent = reader.string();
				else {
					const parentClient = reader.varUint();
					const parentClock = reader.varUint();
					if (lastParent?.client !== parentClient || lastParent.clock !== parentClock)
						lastParent = Y.createID(parentClient, parentClock);
					parent = lastParent;
				}
				if ((info & BIT6) === BIT6) parentSub = reader.string();
			}
			const content = readContent(reader, info & BITS5);
			structs.push(
				new ReadItem(
					Y.createID(client, clock),
					content.length,
					origin,
					rightOrigin,
					parent,
					parentSub,
					content.isAny
				)
			);
			bounds?.push(reader.pos);
			clock += content.length;
		}
	}
	const structsEnd = reader.pos;
	const clients = new Map<number, { clock: number; len: number }[]>();
	const deleting = reader.varUint();
	for (let c = 0; c < deleting; c++) {
		const client = reader.varUint();
		const count = reader.varUint();
		if (count === 0) continue;
		let ranges = clients.get(client);
		if (!ranges) clients.set(client, (ranges = []));
		for (let d = 0; d < count; d++) ranges.push({ clock: reader.varUint(), len: reader.varUint() });
	}
	return { structs, ds: { clients }, structsEnd };
}
