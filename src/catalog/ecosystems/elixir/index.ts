import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseMixLock, parseRebarLock } from './parse-mix-lock.ts';

/** Elixir mix.lock. Folder sources only. */
export const mixLock = declaredCataloguer({
  id: 'mix-lock',
  version: 1,
  ecosystem: 'hex',
  matches: (_path, name) => name === 'mix.lock',
  parse: (text) => parseMixLock(text),
});

/** Erlang rebar.lock (hex packages). Folder sources only. */
export const rebarLock = declaredCataloguer({
  id: 'rebar-lock',
  version: 1,
  ecosystem: 'hex',
  matches: (_path, name) => name === 'rebar.lock',
  parse: (text) => parseRebarLock(text),
});

export const cataloguers = [mixLock, rebarLock] as const;
