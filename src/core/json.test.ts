import { describe, expect, it } from 'vitest';
import { isJsonObject } from './json.ts';

describe('core/json isJsonObject', () => {
  it('accepts objects, including parsed mappings and empty ones', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject({ a: 1, b: [2] })).toBe(true);
    expect(isJsonObject(JSON.parse('{"name":"x"}'))).toBe(true);
    expect(isJsonObject(Object.create(null))).toBe(true);
  });

  it('rejects null, arrays and primitives', () => {
    for (const value of [null, undefined, [], [1, 2], JSON.parse('[{}]'), 'x', '', 0, 42, Number.NaN, true, false]) {
      expect(isJsonObject(value)).toBe(false);
    }
  });

  it('narrows to a string-keyed record', () => {
    const doc: unknown = JSON.parse('{"version":"1.2.3"}');
    expect(isJsonObject(doc) ? doc['version'] : undefined).toBe('1.2.3');
  });
});
