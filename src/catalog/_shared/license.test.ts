import { describe, expect, it, vi } from 'vitest';

// spdx-correct wrapped to count its calls: the memo must spare the repeated ones
const corrections = vi.hoisted(() => ({ calls: 0 }));
vi.mock('spdx-correct', async (importOriginal) => {
  const actual = await importOriginal<{ default: (text: string, options?: object) => string | null }>();
  return {
    default: (text: string, options?: object) => {
      corrections.calls += 1;
      return actual.default(text, options);
    },
  };
});
import { isExpression } from './license-expression.ts';
import { normaliseLicense, normaliseLicenses } from './license.ts';

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
    // a text that needs correcting: spdx-correct runs for the first call only
    const before = corrections.calls;
    const first = normaliseLicense('GNU GPL v3 or later, remembered');
    const afterFirst = corrections.calls;
    expect(afterFirst).toBeGreaterThan(before);
    expect(normaliseLicense('GNU GPL v3 or later, remembered')).toBe(first);
    expect(corrections.calls).toBe(afterFirst);
  });
});
