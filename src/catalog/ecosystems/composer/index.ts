import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-composer.ts'));

/** composer.lock: folder sources only. */
export const composerLock = declaredCataloguer({
  id: 'composer-lock',
  version: 1,
  ecosystem: 'composer',
  matches: (_path, name) => name === 'composer.lock',
  parser: parsers,
  parse: (p, text) => p.parseComposerLock(text),
});

/** installed.json (vendor/composer/): what Composer installed; runs on images too. */
export const composerInstalled = declaredCataloguer({
  id: 'composer-installed',
  version: 1,
  ecosystem: 'composer',
  tags: ['language', 'installed'],
  matches: (_path, name) => name === 'installed.json',
  parser: parsers,
  parse: (p, text) => p.parseInstalledJson(text),
});

export const cataloguers = [composerLock, composerInstalled] as const;
