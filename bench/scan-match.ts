/**
 * The matching half of bench/scan, run in a fresh process as `tollgate scan` would be: loads the
 * modules, reads the SBOM, then `runs` times opens the database, matches, closes. Prints one JSON
 * line: the time of each open + match in ms (the first is the one a `tollgate scan` process pays),
 * what the last match found, and the process's peak RSS.
 *   node bench/scan-match.ts DB SBOM RUNS DISTRO_ID DISTRO_VERSION
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fsp from 'node:fs/promises';
import { readSbom } from '../src/catalog/index.ts';
import { silentLogger, systemClock } from '../src/core/logger.ts';
import { makeVulnDbServices } from '../src/services/vuln-db.ts';
import { openSqliteVulnDb } from '../src/vuln-db/sqlite.ts';
import { matchCatalog } from '../src/vuln/match.ts';

const [dbPath, sbomPath, runsText, distroId, distroVersion] = process.argv.slice(2);
if (dbPath === undefined || sbomPath === undefined || distroId === undefined) throw new Error('usage: scan-match.ts DB SBOM RUNS DISTRO_ID DISTRO_VERSION');
const services = makeVulnDbServices({ openDb: openSqliteVulnDb, fs: fsp, fetch, clock: systemClock, log: silentLogger, defaultDbPath: dbPath, join, dirname, tempSuffix: () => '0' });
const sbom = readSbom(readFileSync(sbomPath, 'utf8'));
const distro = { id: distroId, ...(distroVersion !== undefined ? { versionId: distroVersion } : {}) };
const times: number[] = [];
let findings = 0;
let yes = 0;
let unknown = 0;
for (let i = 0; i < Math.max(Number(runsText ?? '1'), 1); i++) {
  const started = performance.now();
  const db = services.open({ db: dbPath });
  try {
    const result = matchCatalog({ packages: sbom.packages, distro }, db);
    times.push(performance.now() - started);
    findings = result.findings.length;
    yes = result.findings.filter((f) => f.affected === 'yes').length;
    unknown = result.findings.filter((f) => f.affected === 'unknown').length;
  } finally {
    db.close();
  }
}
process.stdout.write(`${JSON.stringify({ times, findings, yes, unknown, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
