import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseDepsJson, parsePackagesConfig, parsePackagesLock, parsePackagesProps } from './parse-nuget.ts';

export const nugetPackagesLock = declaredCataloguer({
  id: 'nuget-packages-lock',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name === 'packages.lock.json',
  parse: (text) => parsePackagesLock(text),
});

export const dotnetDepsJson = declaredCataloguer({
  id: 'dotnet-deps-json',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name.endsWith('.deps.json'),
  parse: (text) => parseDepsJson(text),
});

export const nugetPackagesProps = declaredCataloguer({
  id: 'nuget-packages-props',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name.toLowerCase() === 'directory.packages.props' || name.toLowerCase() === 'packages.props',
  parse: (text) => parsePackagesProps(text),
});

export const nugetPackagesConfig = declaredCataloguer({
  id: 'nuget-packages-config',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name === 'packages.config',
  parse: (text) => parsePackagesConfig(text),
});

export const cataloguers = [nugetPackagesLock, dotnetDepsJson, nugetPackagesProps, nugetPackagesConfig] as const;
