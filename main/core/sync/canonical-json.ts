// Matrix canonical JSON (spec: Appendices, "Canonical JSON"): object keys sorted by code
// point, no insignificant whitespace, UTF-8, and integers only in the range
// [-(2^53)+1, 2^53-1]. Room versions 6 and later refuse events that break these rules, so
// everything Plenary sends is checked here first.

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || '(root)'}`);
    this.name = 'CanonicalJsonError';
  }
}

/** Orders strings by Unicode code point (JavaScript's < compares UTF-16 units, which differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isInteger(value)) throw new CanonicalJsonError(`Matrix events allow integers only, got ${value}`, path);
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`Integer ${value} is outside ±(2^53-1)`, path);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${path}[${i}]`)).join(',')}]`;
      const keys = Object.keys(value as object).sort(compareCodePoints);
      const parts: string[] = [];
      for (const key of keys) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${encode(item, path ? `${path}.${key}` : key)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`Cannot encode a ${typeof value} in JSON`, path);
  }
}

export function canonicalJson(value: unknown): string {
  return encode(value, '');
}

export function canonicalJsonBytes(value: unknown): number {
  return Buffer.byteLength(canonicalJson(value), 'utf8');
}
