import type { AppConfig, Environment } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { systemClock } from '../core/logger.ts';
import { createFileIndexStore, createLayerCache, openImageSource, readImage } from '../image/index.ts';
import { createRegistryClient } from '../oci/index.ts';
import { imageLimits, imageSourceDeps, makeImageServices, type ImageServices } from '../services/image.ts';
import { makeOciServices, registryClientOptions, type OciServices } from '../services/oci.ts';
import type { TrustServices } from '../services/trust.ts';
import { nodeFiles } from './node-files.ts';
import { makeGitAdapter } from './adapters/git.ts';
import { makeRepoServices, type RepoServices } from '../services/repo.ts';
import { nodeSourceTree } from './source-tree.ts';
import { makeSourceServices, type SourceServices } from '../services/source.ts';
import { makeVersioningServices, type VersioningServices } from '../services/versioning.ts';
import { makeScanServices, type ScanServices } from '../services/scan.ts';
import { makeVulnDbServices, type VulnDbServices } from '../services/vuln-db.ts';
import { openSqliteVulnDb } from '../vuln-db/sqlite.ts';
import * as fsPromises from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { makeFileCatalogCache, makeImageOpenTree, makeSbomServices, makeTempFileSqliteReader, type SbomServices } from '../services/sbom.ts';

const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Everything the transports (cli/, http/) may call. Built once by buildServices, the one
 * composition root that decides which adapter backs which port. Each area contributes a
 * slice from src/services/<area>.ts (makeXServices(deps) → XServices); add yours with one
 * line in the interface and one in the object below.
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
  close(): Promise<void>;
}

export async function buildServices(config: AppConfig, env: Environment, log: Logger): Promise<Services> {
  const vulnDb = makeVulnDbServices({
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
  const layerCache = createLayerCache(join(config.dataDir, 'cache', 'layers'), {
    onProblem: (details) => log.warn({ component: 'layer-cache', ...details }, 'layer cache entry ignored or not written'),
  });
  // the image service's limits and registry access: sbom and scan read images as inspect does
  const registry = createRegistryClient(registryClientOptions(config, env, log.child({ component: 'registry-client' })));
  const sbom = makeSbomServices({
    log: log.child({ service: 'sbom' }),
    clock: systemClock,
    openTree: makeImageOpenTree(
      readImage,
      openImageSource,
      imageLimits(config.limits),
      imageSourceDeps(registry),
      layerCache,
    ),
    tool: { name: 'tollgate', version: TOOL_VERSION },
    sqlite: makeTempFileSqliteReader(),
    cache: makeFileCatalogCache(join(config.dataDir, 'cache', 'catalog', 'layers')),
    imageCache: makeFileCatalogCache(join(config.dataDir, 'cache', 'catalog', 'images')),
  });
  return {
    config,
    env,
    oci: makeOciServices({ log }),
    // Loaded on first use: the Sigstore libraries cost ~0.3 s of start-up on every other verb.
    trust: lazyAsyncServices(async () => (await import('../services/trust.ts')).makeTrustServices({
      files: nodeFiles,
      log: log.child({ service: 'trust' }),
      registry, // one client (and token cache) for every slice
      fetch,
      ...(env.keyPassword !== undefined ? { keyPassword: env.keyPassword } : {}),
      ...(env.identityToken !== undefined ? { identityToken: env.identityToken } : {}),
      ...(env.githubOidcRequest !== undefined ? { githubOidcRequest: env.githubOidcRequest } : {}),
      ...(env.buildEnv !== undefined ? { buildEnv: env.buildEnv } : {}),
    })),
    versioning: makeVersioningServices(),
    vulnDb,
    sbom,
    scan: makeScanServices({
      log: log.child({ service: 'scan' }),
      clock: systemClock,
      // no openImage: one read of the image (through sbom.openCatalogued) serves catalogue and reachability
      sbom,
      openDb: (path) => vulnDb.open({ db: path }),
      defaultDbPath: join(config.dataDir, 'vuln.db'),
      tool: { name: 'tollgate', version: TOOL_VERSION },
    }),
    source: makeSourceServices({ tree: nodeSourceTree, log: log.child({ service: 'source' }), clock: () => performance.now(), tool: { name: 'tollgate', version: TOOL_VERSION } }),
    image: makeImageServices({
      config,
      env,
      log,
      registry,
      fileIndexStore: createFileIndexStore(join(config.dataDir, 'file-index')),
      layerCache,
    }),
    repo: makeRepoServices({ git: makeGitAdapter({ path: env.path ?? '' }), files: nodeFiles, log: log.child({ service: 'repo' }), tool: { name: 'tollgate', version: TOOL_VERSION } }),
    // Nothing holds a resource between calls yet (databases are opened per call).
    close: async () => undefined,
  };
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
