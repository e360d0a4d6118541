import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ECOSYSTEM_SCHEMES, PURL_TYPE_SCHEMES, SCHEMES, baseEcosystem, schemeFor, schemeForEcosystem, schemeForPurlType } from './registry.ts';

const SCHEMES_DIR = fileURLToPath(new URL('./schemes/', import.meta.url));

describe('version scheme registry', () => {
  it('has one entry per folder under schemes/, keyed by the scheme id', () => {
    const folders = readdirSync(SCHEMES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(Object.keys(SCHEMES).sort()).toEqual(folders);
    for (const [key, scheme] of Object.entries(SCHEMES)) {
      expect(scheme.id).toBe(key);
      expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(scheme.specUrl).toMatch(/^https:\/\//);
    }
  });

  it('gives every scheme folder an index.ts and an index.test.ts', () => {
    for (const id of Object.keys(SCHEMES)) {
      expect(existsSync(`${SCHEMES_DIR}${id}/index.ts`)).toBe(true);
      expect(existsSync(`${SCHEMES_DIR}${id}/index.test.ts`)).toBe(true);
    }
  });

  it('maps ecosystems and purl types only to known schemes', () => {
    for (const id of [...Object.values(ECOSYSTEM_SCHEMES), ...Object.values(PURL_TYPE_SCHEMES)]) {
      expect(SCHEMES[id]).toBeDefined();
    }
  });

  it.each`
    name                                    | id
    ${'Debian:12'}                          | ${'deb'}
    ${'Ubuntu:22.04:LTS'}                   | ${'deb'}
    ${'Alpine:v3.19'}                       | ${'apk'}
    ${'AlmaLinux:9'}                        | ${'rpm'}
    ${'Rocky Linux:8'}                      | ${'rpm'}
    ${'Red Hat:enterprise_linux:9::appstream'} | ${'rpm'}
    ${'npm'}                                | ${'npm'}
    ${'PyPI'}                               | ${'pep440'}
    ${'pypi'}                               | ${'pep440'}
    ${'Go'}                                 | ${'go'}
    ${'golang'}                             | ${'go'}
    ${'Maven'}                              | ${'maven'}
    ${'RubyGems'}                           | ${'rubygems'}
    ${'gem'}                                | ${'rubygems'}
    ${'Packagist'}                          | ${'packagist'}
    ${'composer'}                           | ${'packagist'}
    ${'NuGet'}                              | ${'nuget'}
    ${'crates.io'}                          | ${'cargo'}
    ${'cargo'}                              | ${'cargo'}
    ${'Hex'}                                | ${'semver'}
    ${'deb'}                                | ${'deb'}
    ${'semver'}                             | ${'semver'}
  `('schemeFor($name) is $id', ({ name, id }: { name: string; id: string }) => {
    expect(schemeFor(name)?.id).toBe(id);
  });

  it('knows nothing of unknown ecosystems', () => {
    expect(schemeFor('Nonexistent')).toBeUndefined();
    expect(schemeForEcosystem('deb')).toBeUndefined();
    expect(schemeForPurlType('Debian')).toBeUndefined();
    expect(baseEcosystem('Alpine:v3.19')).toBe('Alpine');
  });
});
