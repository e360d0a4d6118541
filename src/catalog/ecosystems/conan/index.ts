import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-conan-lock.ts'));

/** conan.lock v1 and v2. Folder sources only. */
export const conanLock = declaredCataloguer({
  id: 'conan-lock',
  version: 1,
  ecosystem: 'conan',
  matches: (_path, name) => name === 'conan.lock',
  parser: parsers,
  parse: (p, text) => p.parseConanLock(text),
});

/** conanfile.txt [requires] with literal versions. Folder sources only. */
export const conanfileTxt = declaredCataloguer({
  id: 'conanfile-txt',
  version: 1,
  ecosystem: 'conan',
  matches: (_path, name) => name === 'conanfile.txt',
  parser: parsers,
  parse: (p, text) => p.parseConanfileTxt(text),
});

export const cataloguers = [conanLock, conanfileTxt] as const;
