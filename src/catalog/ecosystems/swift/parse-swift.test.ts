import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parsePackageResolved, swiftName } from './parse-swift.ts';

describe('swift and cocoapods', () => {
  it.each([
    ['swift', 'swift.json.golden'],
    ['cocoapods', 'cocoapods.json.golden'],
  ])('%s: the packages include what trivy lists', async (repo, golden) => {
    const catalog = await catalogTrivyRepo(repo, cataloguers);

    expect(purlsOf(catalog)).toEqual(expect.arrayContaining(goldenPurls(golden).all));
    expect(catalog.unknowns).toEqual([]);
  });

  it('swift: the packages equal the pins exactly', async () => {
    const catalog = await catalogTrivyRepo('swift', cataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls('swift.json.golden').all);
  });

  it('Package.resolved v2 (location), ssh URLs, and pins without a version', () => {
    const parsed = parsePackageResolved(JSON.stringify({ version: 2, pins: [
      { identity: 'a', location: 'git@github.com:org/a.git', state: { version: '1.0.0' } },
      { identity: 'b', location: 'https://github.com/org/b', state: { branch: 'main', revision: 'abc' } },
    ] }));

    expect(parsed.ok && parsed.entries.map((e) => e.purl)).toEqual(['pkg:swift/github.com/org/a@1.0.0']);
    expect(swiftName('https://github.com/apple/swift-nio.git')).toBe('github.com/apple/swift-nio');
  });
});
