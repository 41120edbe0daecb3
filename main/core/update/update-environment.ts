// Gathers what the update plan needs from the installed app's resources folder and the
// environment. Separate from update-plan.ts so the plan stays a pure function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateEnvironment } from './update-plan';

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function readUpdateEnvironment(options: {
  isPackaged: boolean;
  platform: string;
  resourcesDir: string;
  env: Readonly<Record<string, string | undefined>>;
}): UpdateEnvironment {
  const flag = options.env.PLENARY_DISABLE_UPDATES?.trim().toLowerCase();
  return {
    isPackaged: options.isPackaged,
    platform: options.platform,
    appImagePath: options.env.APPIMAGE || undefined,
    packageType: readOptional(join(options.resourcesDir, 'package-type'))?.trim() ?? null,
    appUpdateYml: readOptional(join(options.resourcesDir, 'app-update.yml')),
    disabledByEnvironment: flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false',
  };
}
