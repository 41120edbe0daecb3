// Draws the tray icons (one per state, 16 px and 32 px for HiDPI) and writes them as PNG
// files with nothing but Node's zlib: no image tools, nothing downloaded. The icon is a
// ring (a circle of members) with a status dot. Run `npx tsx scripts/generate-tray-icons.ts`
// after changing it; tests/unit/tray-icons.test.ts checks the committed files match.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Rgb = [number, number, number];
export const trayIconStates = ['idle', 'in-call', 'offline', 'unsynced'] as const;
export type TrayIconStateName = (typeof trayIconStates)[number];

const colours = {
  ring: [45, 114, 168] as Rgb, // a lighter --accent, legible on dark panels too
  ringOffline: [128, 128, 128] as Rgb,
  call: [47, 158, 90] as Rgb,
  unsynced: [224, 138, 0] as Rgb,
  outline: [255, 255, 255] as Rgb,
};

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // no filter
    Buffer.from(rgba.subarray(y * width * 4, (y + 1) * width * 4)).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

interface Shape {
  /** Coverage test in icon units (0..1 square). */
  inside(x: number, y: number): boolean;
  colour: Rgb;
}

const disc = (cx: number, cy: number, r: number, colour: Rgb): Shape => ({ inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r, colour });
const ring = (cx: number, cy: number, r: number, width: number, colour: Rgb): Shape => ({
  inside: (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= r && d >= r - width;
  },
  colour,
});

function shapesFor(state: TrayIconStateName): Shape[] {
  const base = ring(0.45, 0.45, 0.4, 0.14, state === 'offline' ? colours.ringOffline : colours.ring);
  const members = [0, 1, 2, 3].map((i) => {
    const angle = (Math.PI / 2) * i + Math.PI / 4;
    return disc(0.45 + Math.cos(angle) * 0.17, 0.45 + Math.sin(angle) * 0.17, 0.07, state === 'offline' ? colours.ringOffline : colours.ring);
  });
  const dot = state === 'in-call' ? colours.call : state === 'unsynced' ? colours.unsynced : null;
  // The dot sits on a white outline so it reads on dark and light panels alike.
  return dot ? [base, ...members, disc(0.76, 0.76, 0.24, colours.outline), disc(0.76, 0.76, 0.18, dot)] : [base, ...members];
}

/** Renders a state at a size, 4x4 supersampled for smooth edges. */
export function renderTrayIcon(state: TrayIconStateName, size: number): Buffer {
  const shapes = shapesFor(state);
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // The last shape containing the point is on top.
          const top = [...shapes].reverse().find((s) => s.inside(x, y));
          if (top) {
            r += top.colour[0];
            g += top.colour[1];
            b += top.colour[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return encodePng(size, size, rgba);
}

/** Every file: tray-<state>.png (16 px) and tray-<state>@2x.png (32 px). */
export function trayIconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of trayIconStates) {
    files.set(`tray-${state}.png`, renderTrayIcon(state, 16));
    files.set(`tray-${state}@2x.png`, renderTrayIcon(state, 32));
  }
  return files;
}

export const trayIconDir = resolve(import.meta.dirname, '../main/shell/assets');

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(trayIconDir, { recursive: true });
  for (const [name, data] of trayIconFiles()) writeFileSync(join(trayIconDir, name), data);
  console.log(`wrote ${trayIconFiles().size} tray icons to ${trayIconDir}`);
}
