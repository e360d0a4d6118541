import { describe, expect, it } from 'vitest';
import { isExpression, normaliseLicense, normaliseLicenses } from './license.ts';

describe('normaliseLicense', () => {
  it('keeps SPDX expressions, corrects common spellings and keeps the rest as LicenseRef', () => {
    expect(normaliseLicense('MIT')).toBe('MIT');
    expect(normaliseLicense('Apache-2.0 OR MIT')).toBe('Apache-2.0 OR MIT');
    expect(normaliseLicense('Apache 2.0')).toBe('Apache-2.0');
    expect(normaliseLicense('GPLv2+')).toMatch(/^GPL-2\.0/);
    expect(normaliseLicense('Some Custom Licence v3')).toBe('LicenseRef-Some-Custom-Licence-v3');
    expect(normaliseLicense('unknown')).toBeUndefined();
  });

  it('answers a repeated text the same (remembered) way, undefined included', () => {
    for (const text of ['GPLv2+', 'unknown', 'MIT, BSD-3-Clause', 'Public Domain']) {
      const first = normaliseLicense(text);
      expect(normaliseLicense(text)).toBe(first);
      if (first !== undefined) expect(isExpression(first)).toBe(true);
    }
    expect(normaliseLicenses(['MIT', 'MIT', undefined, 'Apache 2.0'])).toEqual(['MIT', 'Apache-2.0']);
  });
});
