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
import { conjuncts } from './expression-text.ts';
import { isExpression, withoutStacks } from './license-expression.ts';
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

  it('reads Debian copyright licences as Debian means them, every alternative and the "+" kept', () => {
    // License: fields of the lab images' /usr/share/doc/*/copyright (bookworm); spdx-correct alone read
    // the GNU ones wrongly and kept one licence of each "or"/"and" (GPL-2+ became GPL-2.0-only)
    const cases: [string, string][] = [
      ['GPL-2', 'GPL-2.0-only'],
      ['GPL-2+', 'GPL-2.0-or-later'],
      ['GPL-3+', 'GPL-3.0-or-later'],
      ['LGPL-2.1+', 'LGPL-2.1-or-later'],
      ['LGPL-3.0', 'LGPL-3.0-only'],
      ['GPL-2.0+', 'GPL-2.0-or-later'],
      ['LGPL-3.0+ or GPL-2+', 'LGPL-3.0-or-later OR GPL-2.0-or-later'],
      ['BSD-3-clause and/or GPL-3+', 'BSD-3-Clause OR GPL-3.0-or-later'],
      ['Artistic or GPL-1+', 'Artistic-1.0-Perl OR GPL-1.0-or-later'],
      ['MIT and BSD-2-clause or GPL-2+', '(MIT AND BSD-2-Clause) OR GPL-2.0-or-later'],
      ['CC-BY-SA-3.0 or PUBLIC-DOMAIN', 'CC-BY-SA-3.0 OR LicenseRef-PUBLIC-DOMAIN'],
      ['Expat', 'MIT'],
      ['GPL', 'GPL-1.0-or-later'],
      ['GPL-2+ with Autoconf-data exception', 'GPL-2.0-or-later'],
      ['GPL-3.0-or-later WITH GCC-exception-3.1', 'GPL-3.0-or-later WITH GCC-exception-3.1'],
      // package metadata spellings
      ['GNU General Public License v2 or later', 'GPL-2.0-or-later'],
      ['GNU Lesser General Public License version 2.1', 'LGPL-2.1-only'],
      ['GPLv3', 'GPL-3.0-only'],
      ['AGPL-3+', 'AGPL-3.0-or-later'],
      ['MPL-1.1+', 'MPL-1.1+'],
      ['MIT, BSD-3-Clause', 'MIT OR BSD-3-Clause'],
      ['Apache License, Version 2.0', 'Apache-2.0'],
      ['zlib/libpng', 'Zlib'],
      // parentheses around a whole name, nested too (one pair was stripped before: LicenseRef-Expat)
      ['((Expat))', 'MIT'],
      // an SPDX id in another case is that id (spdx-correct read BSD-4-clause-UC as BSD-2-Clause)
      ['BSD-4-clause-UC', 'BSD-4-Clause-UC'],
      ['GPL-3+ and BSD-4-clause-UC', 'GPL-3.0-or-later AND BSD-4-Clause-UC'],
      // a licence resembling one is not that one (spdx-correct: MIT)
      ['BSD-4-clause-UC and MIT-like', 'BSD-4-Clause-UC AND LicenseRef-MIT-like'],
      ['BSD-variant', 'LicenseRef-BSD-variant'],
      // a family without a version: not guessed (spdx-correct says Apache-2.0, BSD-2-Clause, MPL-2.0)
      ['Apache', 'LicenseRef-Apache'],
      ['Apache License', 'LicenseRef-Apache-License'],
      ['BSD', 'LicenseRef-BSD'],
      ['MPL', 'LicenseRef-MPL'],
      ['MIT or BSD', 'MIT OR LicenseRef-BSD'],
      ['Apache 2', 'Apache-2.0'],
      ['BSD-3-clause', 'BSD-3-Clause'],
      // Debian's GFDL without invariant sections
      ['GFDL-NIV-1.3', 'GFDL-1.3-no-invariants-only'],
      ['GFDL-NIV-1.3+', 'GFDL-1.3-no-invariants-or-later'],
      ['GFDL-1.3+-no-invariant', 'GFDL-1.3-no-invariants-or-later'],
    ];
    for (const [text, expected] of cases) {
      expect(normaliseLicense(text), text).toBe(expected);
      expect(isExpression(expected), expected).toBe(true);
    }
  });

  it('does not split a licence text ("sublicense, and/or sell copies") into a list of licences', () => {
    const text =
      'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so';
    const read = normaliseLicense(text) as string;
    expect(isExpression(read)).toBe(true);
    expect(read).not.toMatch(/ (AND|OR) /);
  });

  it('splits an expression into the members of its top-level AND, parentheses around a member dropped', () => {
    expect(conjuncts('MIT')).toEqual(['MIT']);
    expect(conjuncts('A AND (B OR C) AND (D AND E)')).toEqual(['A', 'B OR C', 'D AND E']);
    expect(conjuncts('(A AND B)')).toEqual(['A AND B']);
    expect(conjuncts('(A) OR (B)')).toEqual(['(A) OR (B)']);
    // AND binds tighter than OR: this is A OR (B AND C), one member
    expect(conjuncts('A OR B AND C')).toEqual(['A OR B AND C']);
    expect(conjuncts('(A OR B) AND C')).toEqual(['A OR B', 'C']);
  });
});

describe('catalog/_shared withoutStacks', () => {
  it('captures no stack inside, and gives the limit back afterwards, also when the call throws', () => {
    const before = Error.stackTraceLimit;
    expect(withoutStacks(() => new Error('inside').stack)).toBe('Error: inside');
    expect(() =>
      withoutStacks(() => {
        throw new Error('answer');
      }),
    ).toThrow('answer');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('after').stack?.split('\n').length).toBeGreaterThan(1);
  });
});
