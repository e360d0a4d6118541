import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-bun-lock.ts'));

/** Declared: bun.lock (text lockfile), production closure of the workspaces. Folder sources only. */
export const bunLock = declaredCataloguer({
  id: 'bun-lock',
  version: 1,
  ecosystem: 'npm',
  matches: (_path, name) => name === 'bun.lock',
  parser: parsers,
  parse: (p, text) => p.parseBunLock(text),
});
