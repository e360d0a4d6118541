import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-nuget.ts'));

export const nugetPackagesLock = declaredCataloguer({
  id: 'nuget-packages-lock',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name === 'packages.lock.json',
  parser: parsers,
  parse: (p, text) => p.parsePackagesLock(text),
});

export const dotnetDepsJson = declaredCataloguer({
  id: 'dotnet-deps-json',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name.endsWith('.deps.json'),
  parser: parsers,
  parse: (p, text) => p.parseDepsJson(text),
});

export const nugetPackagesProps = declaredCataloguer({
  id: 'nuget-packages-props',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name.toLowerCase() === 'directory.packages.props' || name.toLowerCase() === 'packages.props',
  parser: parsers,
  parse: (p, text) => p.parsePackagesProps(text),
});

export const nugetPackagesConfig = declaredCataloguer({
  id: 'nuget-packages-config',
  version: 1,
  ecosystem: 'nuget',
  matches: (_path, name) => name === 'packages.config',
  parser: parsers,
  parse: (p, text) => p.parsePackagesConfig(text),
});

export const cataloguers = [nugetPackagesLock, dotnetDepsJson, nugetPackagesProps, nugetPackagesConfig] as const;
