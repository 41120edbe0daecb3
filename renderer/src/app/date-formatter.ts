// Intl.DateTimeFormat objects, made once per locale and options. Making one costs far more
// than formatting with it (a timeline row used to make two per render, 0.3 ms each), and
// the page formats the same few styles thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateFormatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    // A handful of styles and locales in practice; the bound only guards odd time zones.
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}
