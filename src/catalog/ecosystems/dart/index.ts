import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-pubspec-lock.ts'));

/** Dart/Flutter pubspec.lock. Folder sources only. */
export const pubspecLock = declaredCataloguer({
  id: 'pubspec-lock',
  version: 1,
  ecosystem: 'pub',
  matches: (_path, name) => name === 'pubspec.lock',
  parser: parsers,
  parse: (p, text) => p.parsePubspecLock(text),
});

export const cataloguers = [pubspecLock] as const;
