import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, compareCodePoints } from '../../main/core/sync/canonical-json';

describe('Matrix canonical JSON', () => {
  it('sorts keys and drops whitespace (spec examples)', () => {
    expect(canonicalJson({ one: 1, two: 'Two' })).toBe('{"one":1,"two":"Two"}');
    expect(canonicalJson({ b: '2', a: '1' })).toBe('{"a":"1","b":"2"}');
    expect(canonicalJson({ auth: { success: true, mxid: '@john.doe:example.com', profile: { display_name: 'John Doe', three_pids: [{ medium: 'email', address: 'john.doe@example.org' }] } } })).toBe(
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"}]},"success":true}}',
    );
    expect(canonicalJson({ a: '日本語' })).toBe('{"a":"日本語"}');
    expect(canonicalJson({ 本: 2, 日: 1 })).toBe('{"日":1,"本":2}');
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });

  it('orders keys by code point, not UTF-16 unit', () => {
    const astral = '\u{1F600}';
    const highBmp = '\uFF21';
    expect(compareCodePoints(highBmp, astral)).toBeLessThan(0);
    expect(canonicalJson({ [astral]: 1, [highBmp]: 2 })).toBe(`{"${highBmp}":2,"${astral}":1}`);
  });

  it('refuses floats and unsafe integers, naming where', () => {
    expect(() => canonicalJson({ a: { b: [1, 2.5] } })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: { b: [1, 2.5] } })).toThrow('at a.b[1]');
    expect(() => canonicalJson({ n: 2 ** 53 })).toThrow('outside');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(canonicalJson({ n: -(2 ** 53 - 1) })).toBe('{"n":-9007199254740991}');
  });
});
