import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  makeWantFilter,
  readSbom as readSbomText,
  runCatalog,
  selectCataloguers,
  writeCycloneDx,
  writeSpdx,
  type Catalog,
  type CatalogCache,
  type CatalogOutput,
  type CycloneDxSpecVersion,
  type SbomFormat,
  type SbomSubject,
  type SqliteReader,
} from '../catalog/index.ts';
import { AppError } from '../core/errors.ts';
import type { Clock, Logger } from '../core/logger.ts';
import type { FileEntry, FileTree, ReadImageOptions, ReadImageResult, SourceDeps, SourceKind } from '../image/index.ts';

/** A catalogued source: the tree's subject and the catalogue, plus figures for progress and benchmarks. */
export interface CatalogResult {
  readonly subject: SbomSubject;
  readonly sourceKind: SourceKind;
  readonly catalog: Catalog;
  readonly stats: { readonly files: number; readonly cacheHits: number; readonly cacheMisses: number; readonly millis: number };
}

/** Opens any source the image layer supports as a FileTree; `want` says which files' contents matter. */
export type OpenTree = (
  source: string,
  options: { readonly want: (entry: FileEntry) => boolean; readonly signal?: AbortSignal },
) => Promise<{ readonly tree: FileTree; readonly subject: SbomSubject; readonly kind: SourceKind; close(): Promise<void> }>;

/** OpenTree over the image layer's readImage: folders, OCI layouts and archives, registries. */
export function makeImageOpenTree(readImage: (source: string, options: ReadImageOptions) => Promise<ReadImageResult>, sourceDeps?: SourceDeps): OpenTree {
  return async (source, options) => {
    const result = await readImage(source, {
      want: options.want,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(sourceDeps !== undefined ? { sourceDeps } : {}),
    });
    const image = result.image;
    return {
      tree: result.tree,
      kind: image.sourceKind,
      subject: { name: image.source, ...(image.digest !== undefined ? { digest: image.digest } : {}) },
      close: async () => undefined,
    };
  };
}

export interface SbomDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly openTree: OpenTree;
  readonly tool: { readonly name: string; readonly version: string };
  readonly sqlite?: SqliteReader;
  readonly cache?: CatalogCache;
}

export type SbomOutputFormat = 'cyclonedx-json' | 'spdx-json' | 'json';

export interface RenderOptions {
  readonly format: SbomOutputFormat;
  readonly specVersion?: CycloneDxSpecVersion;
  readonly reproducible?: boolean;
}

export interface SbomServices {
  /** Catalogues a source. Lockfile ('declared') cataloguers run only for folder sources, as syft does. */
  catalogSource(source: string, options?: { readonly signal?: AbortSignal; readonly onProgress?: (done: number, total: number, id: string) => void }): Promise<CatalogResult>;
  renderSbom(result: Pick<CatalogResult, 'subject' | 'catalog'>, options: RenderOptions): string;
  /** Reads a CycloneDX or SPDX JSON SBOM (ours or another tool's) into the catalogue model. */
  readSbom(text: string): Catalog & { readonly format: SbomFormat };
}

export function makeSbomServices(deps: SbomDeps): SbomServices {
  return {
    async catalogSource(source, options = {}) {
      const started = performance.now();
      const probe = selectCataloguers();
      const opened = await deps.openTree(source, { want: makeWantFilter(probe), ...(options.signal !== undefined ? { signal: options.signal } : {}) });
      try {
        const cataloguers = opened.kind === 'dir' ? probe : selectCataloguers({ exclude: probe.filter((c) => c.tags.includes('declared')).map((c) => c.id) });
        const result = await runCatalog({
          cataloguers,
          tree: opened.tree,
          log: deps.log.child({ service: 'sbom' }),
          ports: deps.sqlite !== undefined ? { sqlite: deps.sqlite } : {},
          ...(deps.cache !== undefined ? { cache: deps.cache } : {}),
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
          ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
        });
        const { stats, ...catalog } = result;
        return {
          subject: opened.subject,
          sourceKind: opened.kind,
          catalog,
          stats: { files: opened.tree.size, ...stats, millis: Math.round(performance.now() - started) },
        };
      } finally {
        await opened.close();
      }
    },

    renderSbom(result, options) {
      const common = {
        subject: result.subject,
        tool: deps.tool,
        reproducible: options.reproducible === true,
        now: deps.clock.now(),
        randomUuid: randomUUID,
      };
      switch (options.format) {
        case 'cyclonedx-json':
          return writeCycloneDx(result.catalog, { ...common, specVersion: options.specVersion ?? '1.6' });
        case 'spdx-json':
          return writeSpdx(result.catalog, common);
        case 'json':
          return `${JSON.stringify({ subject: result.subject, ...result.catalog }, null, 2)}\n`;
        default:
          throw new AppError('SBOM_FORMAT_UNSUPPORTED', 'unknown SBOM format', { details: { format: String(options.format) } });
      }
    },

    readSbom: readSbomText,
  };
}

/**
 * The SQLite port for rpmdb.sqlite: node:sqlite opens files, so the bytes go to a private temp file
 * that is removed afterwards. Read-only queries only.
 */
export function makeTempFileSqliteReader(): SqliteReader {
  return {
    async query(bytes, sql) {
      const dir = await mkdtemp(join(tmpdir(), 'tollgate-sqlite-'));
      const file = join(dir, 'db.sqlite');
      try {
        await writeFile(file, bytes, { mode: 0o600 });
        const db = new DatabaseSync(file, { readOnly: true });
        try {
          return db.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Per-layer catalogue results as JSON files under `dir` (keys are hashed into file names). */
export function makeFileCatalogCache(dir: string): CatalogCache {
  const fileOf = (key: string): string => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async get(key) {
      try {
        return JSON.parse(await readFile(fileOf(key), 'utf8')) as CatalogOutput;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        if (error instanceof SyntaxError) return undefined; // a torn write: recompute
        throw new AppError('IO_FAILED', 'could not read the catalogue cache', { cause: error });
      }
    },
    async put(key, output) {
      await mkdir(dir, { recursive: true });
      const target = fileOf(key);
      const temp = `${target}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify(output));
      await rename(temp, target);
    },
  };
}
