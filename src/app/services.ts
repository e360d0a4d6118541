import type { AppConfig, Environment } from '../config/index.ts';
import { monotonicMs } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fsPromises from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { systemClock } from '../core/logger.ts';
import type { LayerCache } from '../image/index.ts';
import type { RegistryClient } from '../oci/index.ts';
import type { ImageServices } from '../services/image.ts';
import type { OciServices } from '../services/oci.ts';
import type { RepoServices } from '../services/repo.ts';
import type { ChainRecord, SbomServices } from '../services/sbom.ts';
import type { ScanServices } from '../services/scan.ts';
import type { SourceServices } from '../services/source.ts';
import type { TrustServices } from '../services/trust.ts';
import type { VersioningServices } from '../services/versioning.ts';
import type { VulnDbServices } from '../services/vuln-db.ts';
import type { CacheServices } from '../services/cache.ts';
import { nodeFiles } from './node-files.ts';

const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Everything the transports (cli/, http/) may call. Built by buildServices, the one composition root
 * that decides which adapter backs which port. Each area contributes a slice from
 * src/services/<area>.ts (makeXServices(deps) → XServices); add yours with one line in the interface,
 * one in SliceName and one loader below.
 */
export interface Services {
  readonly config: AppConfig;
  readonly env: Environment;
  readonly oci: OciServices;
  readonly trust: TrustServices;
  readonly versioning: VersioningServices;
  readonly vulnDb: VulnDbServices;
  readonly sbom: SbomServices;
  readonly scan: ScanServices;
  readonly image: ImageServices;
  readonly repo: RepoServices;
  readonly source: SourceServices;
  readonly cache: CacheServices;
  close(): Promise<void>;
}

export type SliceName = Exclude<keyof Services, 'config' | 'env' | 'close'>;
export const SLICE_NAMES: readonly SliceName[] = ['oci', 'trust', 'versioning', 'vulnDb', 'sbom', 'scan', 'image', 'repo', 'source', 'cache'];
/** Slices that write to `<data-dir>/cache/`: building one prunes the cache (when due) on close. */
const CACHE_USERS: readonly SliceName[] = ['sbom', 'scan', 'image'];

/** The services with only some slices built (what one CLI verb needs). */
export type SomeServices<K extends SliceName> = Pick<Services, K | 'config' | 'env' | 'close'>;

/**
 * Builds the slices named in `only` (default: all), importing each slice's module on demand: a verb
 * loads the libraries of its own slice only (a CLI run starts in a fraction of the time). Slices a
 * slice depends on (scan → sbom, vulnDb) are built too; a slice not built is an INTERNAL error when used.
 */
export async function buildServices(config: AppConfig, env: Environment, log: Logger): Promise<Services>;
export async function buildServices<K extends SliceName>(config: AppConfig, env: Environment, log: Logger, only: readonly K[]): Promise<SomeServices<K>>;
export async function buildServices(config: AppConfig, env: Environment, log: Logger, only: readonly SliceName[] = SLICE_NAMES): Promise<SomeServices<SliceName>> {
  // Shared by every slice that reads images: one registry client (and token cache), one layer cache.
  let registry: Promise<RegistryClient> | undefined;
  const registryClient = (): Promise<RegistryClient> =>
    (registry ??= Promise.all([import('../oci/index.ts'), import('../services/oci.ts')]).then(([oci, services]) =>
      oci.createRegistryClient(services.registryClientOptions(config, env, log.child({ component: 'registry-client' }))),
    ));
  let layerCache: Promise<LayerCache> | undefined;
  const layers = (): Promise<LayerCache> =>
    (layerCache ??= import('../image/index.ts').then((image) =>
      image.createLayerCache(join(config.dataDir, 'cache', 'layers'), {
        onProblem: (details) => log.warn({ component: 'layer-cache', ...details }, 'layer cache entry ignored or not written'),
      }),
    ));

  const built = new Map<SliceName, Promise<unknown>>();
  const slice = <K extends SliceName>(name: K): Promise<Services[K]> => {
    let promise = built.get(name);
    if (promise === undefined) {
      promise = LOADERS[name]();
      built.set(name, promise);
    }
    return promise as Promise<Services[K]>;
  };

  const LOADERS: { readonly [K in SliceName]: () => Promise<Services[K]> } = {
    oci: async () => (await import('../services/oci.ts')).makeOciServices({ log }),
    // Loaded on first call even when asked for: the Sigstore libraries cost ~0.3 s of start-up.
    trust: async () =>
      lazyAsyncServices(async () =>
        (await import('../services/trust.ts')).makeTrustServices({
          files: nodeFiles,
          log: log.child({ service: 'trust' }),
          registry: await registryClient(), // one client (and token cache) for every slice
          fetch,
          ...(env.keyPassword !== undefined ? { keyPassword: env.keyPassword } : {}),
          ...(env.identityToken !== undefined ? { identityToken: env.identityToken } : {}),
          ...(env.githubOidcRequest !== undefined ? { githubOidcRequest: env.githubOidcRequest } : {}),
          ...(env.buildEnv !== undefined ? { buildEnv: env.buildEnv } : {}),
        }),
      ),
    versioning: async () => (await import('../services/versioning.ts')).makeVersioningServices(),
    vulnDb: async () => {
      const [{ makeVulnDbServices }, { openSqliteVulnDb }] = await Promise.all([import('../services/vuln-db.ts'), import('../vuln-db/sqlite.ts')]);
      return makeVulnDbServices({
        openDb: openSqliteVulnDb,
        fs: fsPromises,
        fetch,
        clock: systemClock,
        log: log.child({ service: 'vuln-db' }),
        defaultDbPath: join(config.dataDir, 'vuln.db'),
        join,
        dirname,
        tempSuffix: () => randomUUID(),
        sources: config.vuln.sources,
      });
    },
    sbom: async () => {
      const [sbom, image, imageServices] = await Promise.all([import('../services/sbom.ts'), import('../image/index.ts'), import('../services/image.ts')]);
      return sbom.makeSbomServices({
        log: log.child({ service: 'sbom' }),
        clock: systemClock,
        // the image service's limits and registry access: sbom and scan read images as inspect does
        openTree: sbom.makeImageOpenTree({
          readImage: image.readImage,
          openImageSource: image.openImageSource,
          limits: imageServices.imageLimits(config.limits),
          sourceDeps: imageServices.imageSourceDeps(await registryClient()),
          layerCache: await layers(),
          readLayerEntries: image.readLayerEntries,
        }),
        tool: { name: 'tollgate', version: TOOL_VERSION },
        sqlite: sbom.makeTempFileSqliteReader(),
        cache: sbom.makeFileCatalogCache(join(config.dataDir, 'cache', 'catalog', 'layers')),
        imageCache: sbom.makeFileCatalogCache(join(config.dataDir, 'cache', 'catalog', 'images')),
        chainCache: sbom.makeFileCatalogCache<ChainRecord>(join(config.dataDir, 'cache', 'catalog', 'chains')),
      });
    },
    scan: async () => {
      const [{ makeScanServices }, sbom, vulnDb] = await Promise.all([import('../services/scan.ts'), slice('sbom'), slice('vulnDb')]);
      return makeScanServices({
        log: log.child({ service: 'scan' }),
        clock: systemClock,
        // no openImage: one read of the image (through sbom.openCatalogued) serves catalogue and reachability
        sbom,
        openDb: (path) => vulnDb.open({ db: path }),
        defaultDbPath: join(config.dataDir, 'vuln.db'),
        tool: { name: 'tollgate', version: TOOL_VERSION },
      });
    },
    image: async () => {
      const [{ makeImageServices }, image] = await Promise.all([import('../services/image.ts'), import('../image/index.ts')]);
      return makeImageServices({
        config,
        env,
        log,
        registry: await registryClient(),
        fileIndexStore: image.createFileIndexStore(join(config.dataDir, 'file-index')),
        layerCache: await layers(),
      });
    },
    repo: async () => {
      const [{ makeRepoServices }, { makeGitAdapter }] = await Promise.all([import('../services/repo.ts'), import('./adapters/git.ts')]);
      return makeRepoServices({ git: makeGitAdapter({ path: env.path ?? '' }), files: nodeFiles, log: log.child({ service: 'repo' }), tool: { name: 'tollgate', version: TOOL_VERSION } });
    },
    cache: async () => {
      const [{ makeCacheServices }, { cacheFolder }] = await Promise.all([import('../services/cache.ts'), import('./adapters/cache-folder.ts')]);
      return makeCacheServices({ folder: cacheFolder(join(config.dataDir, 'cache')), budget: config.cache, now: () => Date.now(), log: log.child({ service: 'cache' }) });
    },
    source: async () => {
      const [{ makeSourceServices }, { nodeSourceTree }] = await Promise.all([import('../services/source.ts'), import('./source-tree.ts')]);
      return makeSourceServices({ tree: nodeSourceTree, log: log.child({ service: 'source' }), clock: () => monotonicMs(), tool: { name: 'tollgate', version: TOOL_VERSION } });
    },
  };

  const services: Record<string, unknown> = {
    config,
    env,
    // Nothing holds a resource between calls yet (databases are opened per call). A run that used
    // the cache keeps it within its budget: a failed prune is logged, never the run's failure.
    close: async () => {
      if (!CACHE_USERS.some((name) => built.has(name))) return;
      try {
        await (await slice('cache')).pruneIfDue();
      } catch (error) {
        log.warn({ component: 'cache', err: error }, 'pruning the cache failed');
      }
    },
  };
  const ready = await Promise.all(only.map(async (name) => [name, await slice(name)] as const));
  for (const name of SLICE_NAMES) {
    const found = ready.find(([n]) => n === name);
    if (found !== undefined) services[name] = found[1];
    else {
      Object.defineProperty(services, name, {
        enumerable: false,
        get() {
          throw new AppError('INTERNAL', `service slice ${name} was not built for this call`, { details: { slice: name } });
        },
      });
    }
  }
  return services as unknown as SomeServices<SliceName>;
}

/**
 * A service slice whose module is imported on first call. Every method of T must be async
 * (return a Promise), which holds for the slices wrapped here.
 */
function lazyAsyncServices<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined; // never look like a promise
      return async (...args: unknown[]): Promise<unknown> => {
        loaded ??= load();
        const slice = await loaded;
        const method = slice[name as keyof T];
        if (typeof method !== 'function') throw new TypeError(`no service method ${name}`);
        return (method as (...a: unknown[]) => unknown).apply(slice, args);
      };
    },
  });
}
