// The committed tray icons are exactly what scripts/generate-tray-icons.ts draws (so they
// can be regenerated and reviewed as code), one per tray state, at 16 and 32 px.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trayIconDir, trayIconFiles, trayIconStates } from '../../scripts/generate-tray-icons';
import { trayIconStates as policyStates } from '../../main/core/policy/tray-menu';

function readPng(data: Buffer): { width: number; height: number; pixels: Buffer } {
  expect([...data.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('tray icons', () => {
  it('cover every tray state', () => {
    expect([...trayIconStates]).toEqual([...policyStates]);
  });

  it('are committed exactly as the generator draws them', () => {
    for (const [name, data] of trayIconFiles()) expect(readFileSync(join(trayIconDir, name)).equals(data), name).toBe(true);
  });

  it('are valid 16 and 32 px RGBA PNGs with transparent corners and a drawn centre ring', () => {
    for (const [name, data] of trayIconFiles()) {
      const { width, height, pixels } = readPng(data);
      const size = name.includes('@2x') ? 32 : 16;
      expect([width, height]).toEqual([size, size]);
      expect(pixels.length).toBe((size * 4 + 1) * size);
      expect(pixels[4]).toBe(0); // top-left pixel alpha: transparent
      const ringRow = Math.round(size * 0.45);
      const alphaAt = (x: number, y: number) => pixels[y * (size * 4 + 1) + 1 + x * 4 + 3]!;
      expect(alphaAt(Math.round(size * 0.1), ringRow)).toBeGreaterThan(128);
    }
  });
});
