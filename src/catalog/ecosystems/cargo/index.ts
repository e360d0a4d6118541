import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseCargoLock } from './parse-cargo-lock.ts';

/** Cargo.lock (+ Cargo.toml beside it to leave dev-dependencies out). Folder sources only. */
export const cargoLock = declaredCataloguer({
  id: 'cargo-lock',
  version: 1,
  ecosystem: 'cargo',
  matches: (_path, name) => name === 'Cargo.lock',
  parse: async (text, input) => parseCargoLock(text, await input.sibling('Cargo.toml')),
});

export const cataloguers = [cargoLock] as const;
