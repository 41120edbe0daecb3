// Sizes and dates for Settings › Data and the recovery screen, through Intl in the interface
// language (no translation keys needed for numbers).
import { dateFormatter } from '../app/date-formatter';
const units = [
  ['gigabyte', 1e9],
  ['megabyte', 1e6],
  ['kilobyte', 1e3],
] as const;

export function formatBytes(bytes: number, locale: string): string {
  for (const [unit, size] of units) {
    if (bytes >= size) return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'short' }).format(bytes);
}

export function formatWhen(ms: number, locale: string): string {
  return dateFormatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
