import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parsePackagesConfig, parsePackagesLock, parsePackagesProps } from './parse-nuget.ts';

describe('dotnet cataloguers against trivy golden package lists', () => {
  it.each([
    ['nuget', 'nuget.json.golden'],
    ['dotnet', 'dotnet.json.golden'],
    ['packagesprops', 'packagesprops.json.golden'],
  ])('%s: the packages equal what trivy lists', async (repo, golden) => {
    const catalog = await catalogTrivyRepo(repo, cataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls(golden).all);
    expect(catalog.unknowns).toEqual([]);
  });

  it('packages.lock.json: depends-on from each entry\'s dependencies', async () => {
    const catalog = await catalogTrivyRepo('nuget', cataloguers);
    const id = (name: string): string | undefined => catalog.packages.find((p) => p.name === name)?.id;

    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('NuGet.Frameworks'), to: id('Newtonsoft.Json') });
  });
});

describe('dotnet parsers', () => {
  it('packages.config: development dependencies left out', () => {
    const parsed = parsePackagesConfig('<?xml version="1.0"?><packages><package id="A" version="1.0.0" /><package id="B" version="2.0.0" developmentDependency="true" /></packages>');

    expect(parsed.ok && parsed.entries.map((e) => e.purl)).toEqual(['pkg:nuget/A@1.0.0']);
  });

  it('Directory.Packages.props: versions from MSBuild properties are not guessed', () => {
    const parsed = parsePackagesProps('<Project><ItemGroup><PackageVersion Include="A" Version="$(AVersion)" /><PackageVersion Include="B" Version="1.2.3" /></ItemGroup></Project>');

    expect(parsed.ok && parsed.entries.map((e) => e.name)).toEqual(['B']);
  });

  it('unreadable files are failures, not empty results', () => {
    expect(parsePackagesLock('{').ok).toBe(false);
    expect(parsePackagesProps('<Project><ItemGroup></Project>').ok).toBe(false);
  });
});
