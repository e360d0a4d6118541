import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { silentLogger, systemClock } from '../core/logger.ts';
import { makeVulnDbServices, type VulnDbServices } from '../services/vuln-db.ts';
import { openSqliteVulnDb } from '../vuln-db/sqlite.ts';

export interface LocalVulnDbServices {
  readonly services: VulnDbServices;
  /** The fresh temporary folder holding the database (the caller removes it). */
  readonly dir: string;
  readonly dbPath: string;
}

/**
 * The advisory-database services wired as `tollgate db` wires them (node:sqlite, real fs and
 * fetch, system clock), with the default database in a fresh temporary folder; for tests and benches.
 */
export async function makeLocalVulnDbServices(prefix = 'tollgate-vulndb-'): Promise<LocalVulnDbServices> {
  const dir = await fsp.mkdtemp(join(tmpdir(), prefix));
  const dbPath = join(dir, 'vuln.db');
  let n = 0;
  const services = makeVulnDbServices({
    openDb: openSqliteVulnDb,
    fs: fsp,
    fetch,
    clock: systemClock,
    log: silentLogger,
    defaultDbPath: dbPath,
    join,
    dirname,
    tempSuffix: () => String(++n),
  });
  return { services, dir, dbPath };
}
