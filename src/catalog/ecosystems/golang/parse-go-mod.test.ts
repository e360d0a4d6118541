import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT, TRIVY } from '../../../testing/catalog-corpus.ts';
import { goMod } from './declared.ts';
import { parseGoMod, parseGoSum } from './parse-go-mod.ts';

const GO = join(SYFT, 'syft/pkg/cataloger/golang/testdata');
const read = (p: string): string => readFileSync(join(GO, p), 'utf8');
const pairs = (r: ReturnType<typeof parseGoMod>): string[] => (r.ok ? r.entries.map((e) => `${e.name}@${e.version}`).sort() : []);

describe('go.mod cataloguer', () => {
  it('trivy gomod fixture: every require of each go.mod, go.sum filling in indirect modules before go 1.17', async () => {
    const catalog = await catalogTrivyRepo('gomod', [goMod]);
    const root = catalog.packages.filter((p) => p.locations.some((l) => l.path === '/src/go.mod'));
    // every line inside this go.mod's require blocks is one requirement
    const requires = readFileSync(join(TRIVY, 'fixtures/repo/gomod/go.mod'), 'utf8').split('\n').filter((l) => l.startsWith('\t')).length;

    expect(root).toHaveLength(requires);
    expect(purlsOf(catalog)).toEqual(expect.arrayContaining(goldenPurls('gomod.json.golden').vulnerable));
    // submod2 (go 1.15) requires only go-spew; docker/distribution comes from its go.sum, as trivy reports it there
    const submod2 = catalog.packages.filter((p) => p.locations.some((l) => l.path === '/src/submod2/go.mod')).map((p) => `${p.name}@${p.version}`);
    expect(submod2).toContain('github.com/docker/distribution@v2.7.1+incompatible');
    expect(submod2).toContain('github.com/davecgh/go-spew@v1.1.0');
    expect(catalog.packages.find((p) => p.name === 'github.com/docker/distribution')?.purl).toBe('pkg:golang/github.com/docker/distribution@v2.7.1+incompatible');
  });

  it('syft many-packages: module block, comments, replace (all versions and one version), exclude', () => {
    const parsed = parseGoMod(read('go-mod-fixtures/many-packages/go.mod'), undefined);

    expect(parsed.ok && parsed.unknowns?.length).toBe(1);
    expect(pairs(parsed)).toEqual([
      'github.com/anchore/archiver/v3@v3.5.2',
      'github.com/anchore/go-testutils@v0.0.0-20200624184116-66aa578126db',
      'github.com/anchore/go-version@v1.2.2-0.20200701162849-18adb9c92b9b',
      'github.com/anchore/stereoscope@v0.0.0-20200706164556-7cf39d7f4639',
      'github.com/bmatcuk/doublestar@v8.8.8',
      'github.com/go-test/deep@v1.0.6',
    ]);
  });

  it('a replacement by a local path leaves no version: recorded, not listed', () => {
    const parsed = parseGoMod(read('go-mod-fixtures/relative-replace/go.mod'), undefined);

    expect(pairs(parsed)).toEqual([]);
    expect(parsed.ok && parsed.unknowns).toHaveLength(1);
  });

  it('go.sum: the last line for a module wins, /go.mod suffix dropped', () => {
    const sum = parseGoSum('a.io/x v1.0.0/go.mod h1:x\na.io/x v1.1.0 h1:y\na.io/x v1.1.0/go.mod h1:z\n');
    expect(sum.get('a.io/x')).toBe('v1.1.0');
  });

  it('a go.mod without a module directive is unreadable', () => {
    expect(parseGoMod('require a.io/x v1.0.0\n', undefined).ok).toBe(false);
  });
});
