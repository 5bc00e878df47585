// A tiny PMTiles v3 archive for tests, written by hand from the spec
// (github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): one raster tile
// at zoom 0, no compression, so a browser test can open a real archive file.

function varint(value: number, out: number[]) {
	let v = value;
	while (v >= 0x80) {
		out.push((v & 0x7f) | 0x80);
		v = Math.floor(v / 128);
	}
	out.push(v);
}

/** An archive with `tile` (a PNG) as its single tile, z0/0/0. */
export function onePngTileArchive(tile: Buffer): Buffer {
	const directory: number[] = [];
	varint(1, directory); // entries
	varint(0, directory); // tile id delta: z0/0/0 is tile id 0
	varint(1, directory); // run length
	varint(tile.length, directory); // length
	varint(0 + 1, directory); // offset + 1
	const metadata = Buffer.from('{}');
	const header = Buffer.alloc(127);
	header.write('PMTiles', 0, 'ascii');
	header.writeUInt8(3, 7);
	const rootOffset = 127;
	const metadataOffset = rootOffset + directory.length;
	const tileOffset = metadataOffset + metadata.length;
	const u64 = (at: number, value: number) => header.writeBigUInt64LE(BigInt(value), at);
	u64(8, rootOffset);
	u64(16, directory.length);
	u64(24, metadataOffset);
	u64(32, metadata.length);
	u64(40, 0);
	u64(48, 0);
	u64(56, tileOffset);
	u64(64, tile.length);
	u64(72, 1);
	u64(80, 1);
	u64(88, 1);
	header.writeUInt8(1, 96); // clustered
	header.writeUInt8(1, 97); // internal compression: none
	header.writeUInt8(1, 98); // tile compression: none
	header.writeUInt8(2, 99); // tile type: PNG
	header.writeUInt8(0, 100); // min zoom
	header.writeUInt8(0, 101); // max zoom
	header.writeInt32LE(-180e7, 102);
	header.writeInt32LE(-85e7, 106);
	header.writeInt32LE(180e7, 110);
	header.writeInt32LE(85e7, 114);
	header.writeUInt8(0, 118);
	header.writeInt32LE(0, 119);
	header.writeInt32LE(0, 123);
	return Buffer.concat([header, Buffer.from(directory), metadata, tile]);
}
