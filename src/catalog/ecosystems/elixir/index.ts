import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-mix-lock.ts'));

/** Elixir mix.lock. Folder sources only. */
export const mixLock = declaredCataloguer({
  id: 'mix-lock',
  version: 1,
  ecosystem: 'hex',
  matches: (_path, name) => name === 'mix.lock',
  parser: parsers,
  parse: (p, text) => p.parseMixLock(text),
});

/** Erlang rebar.lock (hex packages). Folder sources only. */
export const rebarLock = declaredCataloguer({
  id: 'rebar-lock',
  version: 1,
  ecosystem: 'hex',
  matches: (_path, name) => name === 'rebar.lock',
  parser: parsers,
  parse: (p, text) => p.parseRebarLock(text),
});

export const cataloguers = [mixLock, rebarLock] as const;
