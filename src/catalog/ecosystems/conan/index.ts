import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseConanLock } from './parse-conan-lock.ts';

/** conan.lock v1 and v2. Folder sources only. */
export const conanLock = declaredCataloguer({
  id: 'conan-lock',
  version: 1,
  ecosystem: 'conan',
  matches: (_path, name) => name === 'conan.lock',
  parse: (text) => parseConanLock(text),
});

export const cataloguers = [conanLock] as const;
