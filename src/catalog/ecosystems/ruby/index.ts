import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-gemfile-lock.ts'));

/** Gemfile.lock / gems.locked. Folder sources only. */
export const gemfileLock = declaredCataloguer({
  id: 'gemfile-lock',
  version: 1,
  ecosystem: 'gem',
  matches: (_path, name) => name === 'Gemfile.lock' || name === 'gems.locked',
  parser: parsers,
  parse: (p, text) => p.parseGemfileLock(text),
});

/** Installed gems: specifications/*.gemspec (and specifications/default/). Every source. */
export const gemspecInstalled = declaredCataloguer({
  id: 'gemspec-installed',
  version: 1,
  ecosystem: 'gem',
  tags: ['language', 'installed'],
  matches: (path, name) => name.endsWith('.gemspec') && /\/specifications\/(default\/)?[^/]+$/.test(path),
  parser: parsers,
  parse: (p, text) => p.parseGemspec(text),
});

export const cataloguers = [gemfileLock, gemspecInstalled] as const;
