import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { asciiJson, isJsonObject } from './json.ts';

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

  it('writes JSON in ASCII that parses back to the same value, astral characters and lone surrogates included', () => {
    const value = { name: 'Åsa Ødegård', emoji: 'pkg 📦', cjk: '中文', lone: '\ud800x', control: 'a\u0001\n', nested: [{ 'ключ': 'значение' }], plain: 'MIT' };
    const text = asciiJson(value);
    expect(isAscii(Buffer.from(text))).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
    expect(asciiJson({ plain: 'MIT', n: 1 })).toBe(JSON.stringify({ plain: 'MIT', n: 1 }));
  });
});
