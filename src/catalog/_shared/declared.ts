import type { FileEntry } from '../../image/types.ts';
import { lazyModule, type Cataloguer } from '../cataloguer.ts';
import type { DeclaredSpec } from './declared-spec.ts';
import { baseName } from './text.ts';

export type { DeclaredEntry, DeclaredInput, DeclaredResult, DeclaredSpec } from './declared-spec.ts';

const VENDORED = /\/(?:node_modules|vendor\/bundle|\.git)\//;

const catalogModule = lazyModule(() => import('./declared-catalog.ts'));

/**
 * A lockfile/manifest cataloguer ('declared': folder sources only): reads each matching file,
 * records one package per entry located at the file, depends-on edges between entries of the same
 * file, and an Unknown for each file (or entry) it cannot read.
 */
export function declaredCataloguer<M>(spec: DeclaredSpec<M>): Cataloguer {
  return {
    id: spec.id,
    version: spec.version,
    tags: spec.tags ?? ['language', 'declared'],
    scope: 'layer',

    wants(entry: FileEntry) {
      return (entry.type === 'file' || entry.type === 'hardlink') && spec.matches(entry.path, baseName(entry.path)) && !VENDORED.test(entry.path);
    },

    async catalog(ctx) {
      const [implementation, parser] = await Promise.all([catalogModule(), spec.parser()]);
      return implementation.catalogDeclared(ctx, spec, parser);
    },

    async load() {
      await Promise.all([catalogModule(), spec.parser()]);
    },
  };
}
