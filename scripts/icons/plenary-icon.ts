// Plenary's app icon, drawn from geometry: eight members seated in a circle around the
// floor, on a rounded square in the app's accent blue. Small sizes draw the circle as a
// ring so it stays legible at 16 px. No trigonometry (the eight seats sit at multiples of
// 45 degrees), so every platform and Node version renders identical pixels.
import type { RgbaImage } from './png';

type Rgb = readonly [number, number, number];

const top: Rgb = [0x2a, 0x77, 0xab];
const bottom: Rgb = [0x15, 0x44, 0x66];
const seat: Rgb = [0xff, 0xff, 0xff];
const floor: Rgb = [0xff, 0xb3, 0x5c];

const margin = 0.0625;
const cornerRadius = 0.2;
const circleRadius = 0.25;
const d = Math.SQRT1_2 * circleRadius;
const seats = [
  [0.5, 0.5 - circleRadius],
  [0.5 + d, 0.5 - d],
  [0.5 + circleRadius, 0.5],
  [0.5 + d, 0.5 + d],
  [0.5, 0.5 + circleRadius],
  [0.5 - d, 0.5 + d],
  [0.5 - circleRadius, 0.5],
  [0.5 - d, 0.5 - d],
] as const;

function insideRoundedSquare(x: number, y: number): boolean {
  const half = 0.5 - margin;
  const dx = Math.max(Math.abs(x - 0.5) - (half - cornerRadius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (half - cornerRadius), 0);
  return Math.abs(x - 0.5) <= half && Math.abs(y - 0.5) <= half && dx * dx + dy * dy <= cornerRadius * cornerRadius;
}

/** The colour at a point of the unit square, or null where the icon is transparent. */
function sample(x: number, y: number, small: boolean): Rgb | null {
  if (!insideRoundedSquare(x, y)) return null;
  const cx = x - 0.5;
  const cy = y - 0.5;
  const fromCentre = cx * cx + cy * cy;
  if (small) {
    const ring = Math.sqrt(fromCentre);
    if (Math.abs(ring - circleRadius) <= 0.06) return seat;
    if (fromCentre <= 0.1 * 0.1) return floor;
  } else {
    for (const [sx, sy] of seats) {
      if ((x - sx) * (x - sx) + (y - sy) * (y - sy) <= 0.072 * 0.072) return seat;
    }
    if (fromCentre <= 0.085 * 0.085) return floor;
  }
  const t = (y - margin) / (1 - 2 * margin);
  return [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
}

export function renderPlenaryIcon(size: number): RgbaImage {
  const small = size <= 32;
  const grid = size <= 64 ? 8 : 4; // supersampling per axis, for smooth edges
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const colour = sample((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size, small);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      pixels[at] = Math.round(r / covered);
      pixels[at + 1] = Math.round(g / covered);
      pixels[at + 2] = Math.round(b / covered);
      pixels[at + 3] = Math.round((255 * covered) / (grid * grid));
    }
  }
  return { width: size, height: size, pixels };
}
