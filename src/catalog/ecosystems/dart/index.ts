import { declaredCataloguer } from '../../_shared/declared.ts';
import { parsePubspecLock } from './parse-pubspec-lock.ts';

/** Dart/Flutter pubspec.lock. Folder sources only. */
export const pubspecLock = declaredCataloguer({
  id: 'pubspec-lock',
  version: 1,
  ecosystem: 'pub',
  matches: (_path, name) => name === 'pubspec.lock',
  parse: (text) => parsePubspecLock(text),
});

export const cataloguers = [pubspecLock] as const;
