import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-cargo-lock.ts'));

/** Cargo.lock (+ Cargo.toml beside it to leave dev-dependencies out). Folder sources only. */
export const cargoLock = declaredCataloguer({
  id: 'cargo-lock',
  version: 1,
  ecosystem: 'cargo',
  matches: (_path, name) => name === 'Cargo.lock',
  parser: parsers,
  parse: async (p, text, input) => p.parseCargoLock(text, await input.sibling('Cargo.toml')),
});

export const cataloguers = [cargoLock] as const;
