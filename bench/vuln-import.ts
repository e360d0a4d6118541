/**
 * vuln-import: build the advisory database (node:sqlite) from the whole shared OSV corpus
 * (../shared/corpus/osv: Go, PyPI, AlmaLinux, Alpine secdb, npm legacy, trivy samples), in-process,
 * through the same service `tollgate db import` uses. Target: under 20 s. --smoke: go-vulndb only.
 */
import * as fsp from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, systemClock } from '../src/core/logger.ts';
import { makeVulnDbServices, type ImportReport } from '../src/services/vuln-db.ts';
import { openSqliteVulnDb } from '../src/vuln-db/sqlite.ts';
import { measureFunction, repeat } from './measure.ts';
import type { Benchmark } from './types.ts';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/osv/', import.meta.url));
const FOLDERS = ['go-vulndb', 'pypa-advisory-db-json', 'almalinux', 'alpine-secdb', 'nodejs-security-wg-npm', 'trivy-db-samples'];

export const vulnImport: Benchmark = {
  name: 'vuln-import',
  description: 'advisory database import of the shared OSV corpus into node:sqlite (tollgate db import)',
  async run(ctx) {
    if (!existsSync(CORPUS)) throw new Error('corpus missing: ../shared/corpus/osv');
    const folders = (ctx.smoke ? FOLDERS.slice(0, 1) : FOLDERS).map((f) => join(CORPUS, f));
    const dir = await fsp.mkdtemp(join(tmpdir(), 'tollgate-bench-vuln-'));
    let n = 0;
    const services = makeVulnDbServices({
      openDb: openSqliteVulnDb,
      fs: fsp,
      fetch,
      clock: systemClock,
      log: silentLogger,
      defaultDbPath: join(dir, 'vuln.db'),
      join,
      dirname,
      tempSuffix: () => String(++n),
    });
    let report: ImportReport | undefined;
    const measurement = await repeat(ctx.repeats, () =>
      measureFunction(async () => {
        await fsp.rm(join(dir, 'vuln.db'), { force: true });
        report = await services.importSources(folders);
      }),
    );
    const status = await services.status();
    await fsp.rm(dir, { recursive: true, force: true });
    const advisories = report?.sources.reduce((sum, s) => sum + s.advisories, 0) ?? 0;
    const affected = report?.sources.reduce((sum, s) => sum + s.affected, 0) ?? 0;
    const input = ctx.smoke ? 'go-vulndb' : 'shared OSV corpus (6 folders)';
    const met = measurement.seconds < 20;
    ctx.log(`vuln-import: ${measurement.seconds.toFixed(2)} s, ${advisories} advisories, ${affected} affected entries`);
    return {
      rows: [
        {
          input,
          subject: 'tollgate db import',
          measurement,
          notes: `${advisories} advisories, ${affected} affected, ${status.counts.aliases} ids/aliases, db ${(status.sizeBytes / 1024 ** 2).toFixed(1)} MiB`,
        },
      ],
      comparisons: [],
      notes: [
        ...(report?.sources ?? []).map((s) => `  ${s.name.replace(CORPUS, '')}: ${s.advisories} advisories, ${s.affected} affected, ${s.skipped} skipped, ${s.ms} ms`),
        `target: whole corpus under 20 s: ${ctx.smoke ? 'n/a (smoke)' : met ? 'met' : 'NOT met'} (${measurement.seconds.toFixed(2)} s)`,
      ],
    };
  },
};
