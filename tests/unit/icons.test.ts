import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxIconSizes, windowsIconSizes } from '../../scripts/generate-icons';
import { icnsTypes, readIcns } from '../../scripts/icons/icns';
import { readIco } from '../../scripts/icons/ico';
import { crc32, decodePng, encodePng } from '../../scripts/icons/png';
import { renderPlenaryIcon } from '../../scripts/icons/plenary-icon';
import { repoRoot } from '../helpers/paths';

const buildDir = join(repoRoot, 'build');
const rendered = new Map<number, ReturnType<typeof renderPlenaryIcon>>();
const render = (size: number) => rendered.get(size) ?? rendered.set(size, renderPlenaryIcon(size)).get(size)!;
const pixel = (image: { width: number; pixels: Uint8Array }, x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)];

describe('PNG writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  it('round-trips RGBA pixels', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
    expect(decodePng(encodePng({ width: 5, height: 3, pixels }))).toEqual({ width: 5, height: 3, pixels });
  });
});

describe('the icon drawing', () => {
  it('is transparent at the corners and opaque in the middle, at every size', () => {
    for (const size of [16, 32, 256]) {
      const image = render(size);
      expect(pixel(image, 0, 0)[3], `corner at ${size}`).toBe(0);
      expect(pixel(image, size >> 1, size >> 1)[3], `centre at ${size}`).toBe(255);
    }
  });
});

describe('committed icons', () => {
  it('has a PNG for every Linux size, matching the drawing', () => {
    for (const size of linuxIconSizes) {
      const image = decodePng(readFileSync(join(buildDir, 'icons', `${size}x${size}.png`)));
      expect(image.width, `${size}x${size}.png`).toBe(size);
      expect(Buffer.from(image.pixels).equals(Buffer.from(render(size).pixels)), `${size}x${size}.png is out of date: run npm run icons`).toBe(true);
    }
  });

  it('has a Windows .ico with BMP entries up to 128 px and a PNG at 256 px', () => {
    const entries = readIco(readFileSync(join(buildDir, 'icon.ico')));
    expect(entries.map((e) => [e.size, e.format])).toEqual(windowsIconSizes.map((size) => [size, size >= 256 ? 'png' : 'bmp']));
    for (const entry of entries) {
      const expected = render(entry.size);
      if (entry.format === 'png') {
        expect(Buffer.from(decodePng(entry.data).pixels).equals(Buffer.from(expected.pixels))).toBe(true);
        continue;
      }
      // BITMAPINFOHEADER: 40 bytes, width, doubled height (colour + mask), 32 bits per pixel.
      expect([entry.data.readUInt32LE(0), entry.data.readInt32LE(4), entry.data.readInt32LE(8), entry.data.readUInt16LE(14)]).toEqual([40, entry.size, entry.size * 2, 32]);
      // The top row of the image is the last colour row of the bottom-up DIB, stored as BGRA.
      const topRow = 40 + (entry.size - 1) * entry.size * 4;
      const middle = topRow + (entry.size >> 1) * 4;
      const [r, g, b, a] = pixel(expected, entry.size >> 1, 0);
      expect([...entry.data.subarray(middle, middle + 4)]).toEqual([b, g, r, a]);
    }
  });

  it('has a macOS .icns with every 1x and 2x size up to 1024 px', () => {
    const entries = readIcns(readFileSync(join(buildDir, 'icon.icns')));
    expect(entries.map((e) => e.type)).toEqual(icnsTypes.map((t) => t.type));
    for (const [i, entry] of entries.entries()) {
      const image = decodePng(entry.data);
      expect(image.width, entry.type).toBe(icnsTypes[i]!.size);
      expect(Buffer.from(image.pixels).equals(Buffer.from(render(image.width).pixels)), `${entry.type} is out of date: run npm run icons`).toBe(true);
    }
  });
});
