// The README's set-up section and package.json must say the same thing about Node, so a
// member setting up a fresh machine is not told one version and refused by another.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };

describe('README set-up', () => {
  it('states the Node version package.json requires, everywhere it names one', () => {
    const engine = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
    expect(engine, 'engines.node should be ">=MAJOR.MINOR"').toBeDefined();
    const stated = [...readme.matchAll(/Node\.js (\d+(?:\.\d+)?) or newer/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([engine]));
  });

  it('gives both set-up commands as npm scripts that exist', () => {
    const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(scripts.start).toBeDefined();
    expect(scripts.test).toBeDefined();
    // The Node the scripts run on comes with the project.
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
  });
});
