// `npm run start:web` skips the renderer build only when dist/renderer was built from the
// sources as they are now: any saved, added or removed input, or a missing build, rebuilds.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rendererFingerprint, rendererOutDir, rendererStaleReason, writeRendererStamp } from '../../scripts/renderer-build-stamp';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const built = () => write(join(rendererOutDir, 'index.html'), '<!doctype html>');
/** Builds (stamps) the current sources, then applies a change and says whether a rebuild is due. */
const afterBuild = (change: () => void) => {
  built();
  writeRendererStamp(root, rendererFingerprint(root));
  change();
  return rendererStaleReason(root, rendererFingerprint(root));
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plenary-stamp-'));
  write('renderer/index.html', '<div id="root"></div>');
  write('renderer/src/main.tsx', 'render()');
  write('shared/i18n/locales/en/chat.json', '{}');
  write('vite.config.ts', 'export default {}');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('renderer build stamp', () => {
  it('asks for a build when there is none yet, even with a stamp', () => {
    writeRendererStamp(root, rendererFingerprint(root));
    expect(rendererStaleReason(root, rendererFingerprint(root))).toBe('no-build');
  });

  it('asks for a build when dist/renderer was built without a stamp (by hand)', () => {
    built();
    expect(rendererStaleReason(root, rendererFingerprint(root))).toBe('changed');
  });

  it('skips the build when nothing changed since the stamped build', () => {
    expect(afterBuild(() => undefined)).toBeNull();
  });

  it('rebuilds when a source is saved, added or removed', () => {
    expect(afterBuild(() => utimesSync(join(root, 'renderer/src/main.tsx'), new Date(), new Date(Date.now() + 5_000)))).toBe('changed');
    expect(afterBuild(() => write('renderer/src/new-view.tsx', 'x'))).toBe('changed');
    expect(afterBuild(() => rmSync(join(root, 'renderer/src/new-view.tsx')))).toBe('changed');
  });

  it('rebuilds when a translation or the build configuration changes', () => {
    expect(afterBuild(() => write('shared/i18n/locales/en/chat.json', '{"a":1}'))).toBe('changed');
    expect(afterBuild(() => write('vite.config.ts', 'export default { base: "./" }'))).toBe('changed');
    expect(afterBuild(() => write('package-lock.json', '{}'))).toBe('changed');
  });

  it('rebuilds when a file comes back with an older date (a checkout of another branch)', () => {
    expect(afterBuild(() => utimesSync(join(root, 'renderer/src/main.tsx'), new Date(0), new Date(0)))).toBe('changed');
  });

  it('ignores what the build writes itself', () => {
    expect(afterBuild(() => write(join(rendererOutDir, 'assets/index-abc.js'), 'bundle'))).toBeNull();
  });
});
