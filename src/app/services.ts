import type { AppConfig, Environment } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../core/logger.ts';
import { readImage } from '../image/index.ts';
import { makeOciServices, type OciServices } from '../services/oci.ts';
import { makeVersioningServices, type VersioningServices } from '../services/versioning.ts';
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
  readonly versioning: VersioningServices;
  readonly sbom: SbomServices;
  close(): Promise<void>;
}

export async function buildServices(config: AppConfig, env: Environment, log: Logger): Promise<Services> {
  const closers: (() => Promise<void>)[] = [];
  void log;
  return {
    config,
    env,
    oci: makeOciServices({ log }),
    versioning: makeVersioningServices(),
    sbom: makeSbomServices({
      log: log.child({ service: 'sbom' }),
      clock: systemClock,
      openTree: makeImageOpenTree(readImage),
      tool: { name: 'tollgate', version: TOOL_VERSION },
      sqlite: makeTempFileSqliteReader(),
      cache: makeFileCatalogCache(join(config.dataDir, 'cache', 'catalog')),
    }),
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
