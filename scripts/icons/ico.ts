// Windows .ico writer. Sizes below 256 are stored as 32-bit BMP (DIB) entries, because the
// NSIS installer and older Windows shells cannot read PNG-compressed entries; the 256 px
// entry is PNG, as Windows Vista and later expect.
import { encodePng, type RgbaImage } from './png';

function dib(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  const maskStride = Math.ceil(width / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(width, 4);
  header.writeInt32LE(height * 2, 8); // colour rows plus the AND mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(0, 16); // BI_RGB
  header.writeUInt32LE(width * height * 4 + maskStride * height, 20);
  const colour = Buffer.alloc(width * height * 4);
  const mask = Buffer.alloc(maskStride * height);
  for (let y = 0; y < height; y++) {
    const row = height - 1 - y; // DIBs are stored bottom-up
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = (row * width + x) * 4;
      colour[to] = pixels[from + 2]!;
      colour[to + 1] = pixels[from + 1]!;
      colour[to + 2] = pixels[from]!;
      colour[to + 3] = pixels[from + 3]!;
      if (pixels[from + 3]! < 128) mask[row * maskStride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, colour, mask]);
}

export function encodeIco(images: RgbaImage[]): Buffer {
  const sorted = [...images].sort((a, b) => a.width - b.width);
  const bodies = sorted.map((image) => (image.width >= 256 ? encodePng(image) : dib(image)));
  const dir = Buffer.alloc(6 + 16 * sorted.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // type: icon
  dir.writeUInt16LE(sorted.length, 4);
  let offset = dir.length;
  sorted.forEach((image, i) => {
    const entry = 6 + 16 * i;
    dir[entry] = image.width >= 256 ? 0 : image.width;
    dir[entry + 1] = image.height >= 256 ? 0 : image.height;
    dir.writeUInt16LE(1, entry + 4); // colour planes
    dir.writeUInt16LE(32, entry + 6); // bits per pixel
    dir.writeUInt32LE(bodies[i]!.length, entry + 8);
    dir.writeUInt32LE(offset, entry + 12);
    offset += bodies[i]!.length;
  });
  return Buffer.concat([dir, ...bodies]);
}

export interface IcoEntry {
  size: number;
  format: 'png' | 'bmp';
  data: Buffer;
}

export function readIco(file: Uint8Array): IcoEntry[] {
  const buf = Buffer.from(file);
  if (buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1) throw new Error('not an .ico file');
  const entries: IcoEntry[] = [];
  for (let i = 0; i < buf.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i;
    const data = buf.subarray(buf.readUInt32LE(entry + 12), buf.readUInt32LE(entry + 12) + buf.readUInt32LE(entry + 8));
    entries.push({ size: buf[entry] || 256, format: data.subarray(1, 4).toString('latin1') === 'PNG' ? 'png' : 'bmp', data });
  }
  return entries;
}
