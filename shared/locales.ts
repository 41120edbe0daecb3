// Locales Plenary ships with. Every user-visible string exists in each of them
// (checked by scripts/check-i18n.ts in `npm test`).
export const supportedLocales = ['en', 'es', 'ca', 'fr', 'de', 'ja'] as const;
export type Locale = (typeof supportedLocales)[number];

export function isLocale(value: string): value is Locale {
  return (supportedLocales as readonly string[]).includes(value);
}

/** Picks the best supported locale for a list of preferred BCP 47 tags ("fr-CA" -> "fr"). */
export function negotiateLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (isLocale(base)) return base;
  }
  return 'en';
}
