import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseBunLock } from './parse-bun-lock.ts';

/** Declared: bun.lock (text lockfile), production closure of the workspaces. Folder sources only. */
export const bunLock = declaredCataloguer({
  id: 'bun-lock',
  version: 1,
  ecosystem: 'npm',
  matches: (_path, name) => name === 'bun.lock',
  parse: (text) => parseBunLock(text),
});
