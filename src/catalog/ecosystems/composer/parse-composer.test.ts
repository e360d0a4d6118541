import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parseComposerLock, parseInstalledJson } from './parse-composer.ts';

describe('composer cataloguers against trivy golden package lists', () => {
  it.each([
    ['composer', 'composer.lock.json.golden'],
    ['composer-vendor', 'composer.vendor.json.golden'],
  ])('%s: the packages equal what trivy lists, with licences and depends-on', async (repo, golden) => {
    const catalog = await catalogTrivyRepo(repo, cataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls(golden).all);
    expect(catalog.packages.every((p) => p.licenses.includes('MIT'))).toBe(true);
    expect(catalog.relationships.some((r) => r.kind === 'depends-on')).toBe(true);
  });
});

describe('composer parsers', () => {
  it('composer.lock: packages-dev left out, platform requirements are not dependencies', () => {
    const parsed = parseComposerLock(JSON.stringify({
      packages: [{ name: 'a/b', version: '1.0.0', require: { php: '>=7', 'ext-json': '*', 'c/d': '^2' } }],
      'packages-dev': [{ name: 'phpunit/phpunit', version: '9.0.0' }],
    }));

    expect(parsed.ok && parsed.entries.map((e) => [e.purl, e.dependsOn])).toEqual([['pkg:composer/a/b@1.0.0', ['c/d']]]);
  });

  it('installed.json (Composer 2): dev-package-names left out; a foreign installed.json gives nothing', () => {
    const parsed = parseInstalledJson(JSON.stringify({ packages: [{ name: 'a/b', version: '1.0.0' }, { name: 'x/dev', version: '1.0.0' }], 'dev-package-names': ['x/dev'] }));

    expect(parsed.ok && parsed.entries.map((e) => e.name)).toEqual(['a/b']);
    expect(parseInstalledJson('{"apps": []}')).toEqual({ ok: true, entries: [] });
    expect(parseComposerLock('{').ok).toBe(false);
  });
});
