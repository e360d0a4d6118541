import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('core/canonical-json', () => {
  it('sorts keys by code unit and drops whitespace (RFC 8785 ordering)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '\u00e9': 2, A: { d: 1, c: 2 } })).toBe(
      '{"A":{"c":2,"d":1},"a":[true,null,"x"],"b":1,"\u00e9":2}',
    );
  });

  it('omits undefined members and refuses non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});
