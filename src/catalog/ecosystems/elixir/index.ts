import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseMixLock } from './parse-mix-lock.ts';

/** Elixir mix.lock. Folder sources only. */
export const mixLock = declaredCataloguer({
  id: 'mix-lock',
  version: 1,
  ecosystem: 'hex',
  matches: (_path, name) => name === 'mix.lock',
  parse: (text) => parseMixLock(text),
});

export const cataloguers = [mixLock] as const;
