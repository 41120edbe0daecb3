// Launches the system Chromium for end-to-end tests. Playwright's own browser download
// cannot work on our machines; a missing Chromium fails the test with the install hint
// instead of skipping it.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.PLENARY_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is required for end-to-end tests but ${chromiumPath} does not exist.\n` +
        'Install it with:  sudo apt-get install -y chromium   (or set PLENARY_CHROMIUM to a Chromium binary)',
    );
  }
}

export async function launchChromium(options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  assertChromium();
  // Playwright gives each launch a fresh temporary profile.
  const args = [...chromiumArgs];
  if (options.locale) args.push(`--lang=${options.locale}`);
  return chromium.launch({ executablePath: chromiumPath, args, headless: true });
}
