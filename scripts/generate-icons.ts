// Writes Plenary's icons into build/ for electron-builder, at the sizes each platform needs:
//   build/icons/<n>x<n>.png  Linux (AppImage, deb, rpm): 16 to 512 px
//   build/icon.ico           Windows (app, NSIS installer): 16 to 256 px
//   build/icon.icns          macOS (app, dmg): 16 to 1024 px, 1x and 2x
// Run with `npm run icons` after changing scripts/icons/plenary-icon.ts; the outputs are
// committed, and tests/unit/icons.test.ts checks they match the drawing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeIcns, icnsTypes } from './icons/icns';
import { encodeIco } from './icons/ico';
import { encodePng, type RgbaImage } from './icons/png';
import { renderPlenaryIcon } from './icons/plenary-icon';

export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512] as const;
export const windowsIconSizes = [16, 24, 32, 48, 64, 128, 256] as const;

export function generateIcons(buildDir: string): string[] {
  const cache = new Map<number, RgbaImage>();
  const render = (size: number) => cache.get(size) ?? cache.set(size, renderPlenaryIcon(size)).get(size)!;
  const written: string[] = [];
  const write = (path: string, data: Buffer) => {
    writeFileSync(path, data);
    written.push(path);
  };
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  for (const size of linuxIconSizes) write(join(buildDir, 'icons', `${size}x${size}.png`), encodePng(render(size)));
  write(join(buildDir, 'icon.ico'), encodeIco(windowsIconSizes.map(render)));
  write(join(buildDir, 'icon.icns'), encodeIcns(icnsTypes.map(({ type, size }) => ({ type, png: encodePng(render(size)) }))));
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const buildDir = resolve(import.meta.dirname, '../build');
  for (const file of generateIcons(buildDir)) console.log(`wrote ${file}`);
}
