import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parsePubspecLock } from './parse-pubspec-lock.ts';

describe('pubspec-lock', () => {
  it('trivy pubspec fixture: the packages equal what trivy lists', async () => {
    const catalog = await catalogTrivyRepo('pubspec', cataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls('pubspec.lock.json.golden').all);
  });

  it('direct dev dependencies are left out; invalid YAML is a failure', () => {
    const parsed = parsePubspecLock('packages:\n  a:\n    dependency: "direct main"\n    version: "1.0.0"\n  lints:\n    dependency: "direct dev"\n    version: "2.0.0"\n');

    expect(parsed.ok && parsed.entries.map((e) => e.name)).toEqual(['a']);
    expect(parsePubspecLock('packages: [').ok).toBe(false);
  });
});
