import { declaredCataloguer } from '../../_shared/declared.ts';
import { parseGemfileLock } from './parse-gemfile-lock.ts';

/** Gemfile.lock / gems.locked. Folder sources only. */
export const gemfileLock = declaredCataloguer({
  id: 'gemfile-lock',
  version: 1,
  ecosystem: 'gem',
  matches: (_path, name) => name === 'Gemfile.lock' || name === 'gems.locked',
  parse: (text) => parseGemfileLock(text),
});

export const cataloguers = [gemfileLock] as const;
